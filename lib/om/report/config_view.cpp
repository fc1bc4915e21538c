#include <om/report/config_view.hpp>

#include <cstdio>
#include <cstdlib>

#include <spdlog/spdlog.h>

#include <om/config/catalog.hpp>
#include <om/config/cli.hpp>
#include <om/config/settings.hpp>
#include <om/db/client_credentials.hpp>
#include <om/report/config_check.hpp>
#include <om/run/run_options.hpp>
#include <om/util/json_writer.hpp>

namespace om::report {
namespace {

bool env_set(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0';
}

// The secrets, as whether they are set and where from: never their value.
void add_secrets(const config::Options& o, std::vector<config::Cli::Setting>& out) {
  config::Cli::Setting password{"db-password", "(not set)", "default"};
  if (env_set("OM_DB_PASSWORD")) {
    password = {"db-password", "(set)", "environment"};
  } else if (!o.catalog.defaults_file.empty()) {
    auto read = db::read_defaults_file(o.catalog.defaults_file);
    if (read && !read->password.empty())
      password = {"db-password", "(set)", "file:" + o.catalog.defaults_file};
  }
  out.push_back(password);
  if (env_set("BORG_PASSPHRASE"))
    out.push_back({"borg-passphrase", "(set)", "environment"});
  else if (env_set("BORG_PASSCOMMAND"))
    out.push_back({"borg-passcommand", "(set)", "environment"});
}

void print_settings(const std::vector<config::Cli::Setting>& settings, util::Format format) {
  if (format == util::Format::json) {
    util::JsonWriter w;
    w.begin_array();
    for (const auto& s : settings)
      w.begin_object()
          .field("key", s.key)
          .field("value", s.value)
          .field("origin", s.origin)
          .end_object();
    w.end_array();
    std::printf("%s\n", w.str().c_str());
    return;
  }
  util::Table t{{"key", "value", "origin"}, {}};
  for (const auto& s : settings)
    t.rows.push_back({s.key, s.value, s.origin});
  std::fputs(util::render(t, format).c_str(), stdout);
}

bool print_findings(const std::vector<Finding>& findings, util::Format format) {
  bool bad = false;
  if (format == util::Format::json) {
    util::JsonWriter w;
    w.begin_array();
    for (const auto& f : findings) {
      bad = bad || !f.problem.empty();
      w.begin_object()
          .field("check", f.check)
          .field("ok", f.problem.empty())
          .field("problem", f.problem)
          .field(f.problem.empty() ? "seen" : "fix", f.fix)
          .end_object();
    }
    w.end_array();
    std::printf("%s\n", w.str().c_str());
    return bad;
  }
  for (const auto& f : findings) {
    if (f.problem.empty()) {
      std::printf("ok       %s: %s\n", f.check.c_str(), f.fix.c_str());
    } else {
      bad = true;
      std::printf("PROBLEM  %s: %s\n         fix: %s\n", f.check.c_str(), f.problem.c_str(),
                  f.fix.c_str());
    }
  }
  return bad;
}

} // namespace

Result<ExitStatus> run_config(const ConfigRequest& request) {
  // Every setting of the suite, read the way the tools read them (this command line, the
  // environment, the config file, backup_settings), by a command line that knows them all.
  config::Options all;
  run::RunRequest run;
  run::RunCommandLine line;
  config::Cli cli("om-backup", "every setting", all);
  cli.add_catalog_options();
  cli.add_borg_options();
  cli.add_path_options();
  cli.add_dump_options();
  cli.add_backup_settings_options();
  cli.add_retention_options();
  cli.add_copy_options();
  run::add_run_options(cli, run, line);
  cli.view_mode();
  std::vector<std::string> args{"om-backup-report"};
  args.insert(args.end(), request.args.begin(), request.args.end());
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (auto& a : args)
    argv.push_back(a.data());
  OM_TRY_VOID(cli.parse(static_cast<int>(argv.size()), argv.data()));
  if (auto catalog = config::open_catalog(all, false)) {
    OM_TRY(row, config::load_settings(*catalog));
    OM_TRY_VOID(all.apply_settings(row));
  } else if (!request.check) {
    spdlog::warn("backup_settings not read: {}", catalog.error().message);
  }
  if (request.check) {
    auto bad = print_findings(check_configuration(all, run), request.format);
    return bad ? ExitStatus::config : ExitStatus::ok;
  }
  auto settings = cli.effective_settings();
  add_secrets(all, settings);
  print_settings(settings, request.format);
  return ExitStatus::ok;
}

} // namespace om::report
