#pragma once

#include <string>
#include <vector>

#include <om/report/digest/charts.hpp>
#include <om/report/digest/page.hpp>

namespace om::report {

// The digest as one MIME message (RFC 2045/2046/2387): multipart/alternative of a text/plain
// part and a multipart/related HTML part whose charts are inline PNG images (mail clients do
// not show SVG), referenced by Content-ID. Every part is base64 (no line is ever too long);
// `boundary_seed` makes the boundaries (random in use, fixed in tests).
[[nodiscard]] std::string digest_message(const DigestText& text, const std::vector<Chart>& pngs,
                                         const std::string& to, const std::string& boundary_seed);

} // namespace om::report
