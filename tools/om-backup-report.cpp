// om-backup-report: what ran, what failed, what is overdue: for terminals, pipes and monitoring.
#include <om/app/tool.hpp>
#include <om/report/report_tool.hpp>

int main(int argc, char** argv) {
  om::config::Options options;
  om::report::ReportRequest request;
  om::config::Cli cli("om-backup-report",
                      "Job history, statistics, checks, metrics, live progress, diffs and digests.",
                      options);
  om::report::add_report_options(cli, request);
  request.args.assign(argv + 1, argv + argc);
  return om::app::run_tool(cli, argc, argv,
                           [&] { return om::report::run_report(options, request); });
}
