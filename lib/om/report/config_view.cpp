#include <om/report/config_view.hpp>

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <optional>
#include <set>
#include <tuple>

#include <spdlog/spdlog.h>

#include <om/check/check_tool.hpp>
#include <om/config/catalog.hpp>
#include <om/config/cli.hpp>
#include <om/config/settings.hpp>
#include <om/copy/copy_tool.hpp>
#include <om/db/client_credentials.hpp>
#include <om/migrate/migrate_tool.hpp>
#include <om/prune/prune_tool.hpp>
#include <om/report/config_check.hpp>
#include <om/report/report_tool.hpp>
#include <om/restore/restore_tool.hpp>
#include <om/run/run_options.hpp>
#include <om/sync/sync_tool.hpp>
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

// One tool's command line as the tool itself builds it (`add`), handed to `read`.
template <class Request, class... Line>
Result<void> read_tool(const std::string& tool, void (*add)(config::Cli&, Request&, Line&...),
                       const std::function<Result<void>(config::Cli&)>& read) {
  config::Options options;
  Request request;
  std::tuple<Line...> lines;
  config::Cli cli(tool, "", options);
  std::apply([&](Line&... line) { add(cli, request, line...); }, lines);
  auto done = read(cli);
  if (!done)
    return std::unexpected(done.error().context(tool + " would refuse this"));
  return done;
}

} // namespace

Result<ExitStatus> run_config(const ConfigRequest& request) {
  // Every setting of the suite, read the way the tools read them (this command line, the
  // environment, the config file, backup_settings): each tool's own command line, a setting
  // shown once, as the first tool that has it reads it.
  std::vector<std::string> args{"om-backup-report"};
  args.insert(args.end(), request.args.begin(), request.args.end());
  std::vector<char*> argv;
  argv.reserve(args.size());
  for (auto& a : args)
    argv.push_back(a.data());
  std::optional<config::SettingsRow> row;
  std::vector<config::Cli::Setting> settings;
  std::vector<config::Cli::Setting> file_only; // lines of the file no option reads
  std::set<std::string> shown;
  auto read = [&](config::Cli& cli) -> Result<void> {
    cli.view_mode();
    OM_TRY_VOID(cli.parse(static_cast<int>(argv.size()), argv.data()));
    if (!row) {
      if (auto catalog = config::open_catalog(cli.options(), false)) {
        OM_TRY(loaded, config::load_settings(*catalog));
        row = std::move(loaded);
      } else {
        row = config::SettingsRow{};
        if (!request.check)
          spdlog::warn("backup_settings not read: {}", catalog.error().message);
      }
    }
    OM_TRY_VOID(cli.apply_settings(*row));
    for (auto& s : cli.effective_settings()) {
      if (!cli.knows(s.key))
        file_only.push_back(std::move(s));
      else if (shown.insert(s.key).second)
        settings.push_back(std::move(s));
    }
    return {};
  };
  // om-backup-run's view is also what --check checks.
  config::Options run_options;
  run::RunRequest run;
  run::RunCommandLine run_line;
  config::Cli run_cli("om-backup-run", "", run_options);
  run::add_run_options(run_cli, run, run_line);
  OM_TRY_VOID(read(run_cli));
  if (request.check) {
    auto bad = print_findings(check_configuration(run_options, run), request.format);
    return bad ? ExitStatus::config : ExitStatus::ok;
  }
  // Another tool that refuses what it reads (a value only om-backup-run takes, say) is a
  // warning: the listing goes on with the others.
  const Result<void> others[] = {
      read_tool("om-backup-sync", &sync::add_sync_options, read),
      read_tool("om-backup-prune", &prune::add_prune_options, read),
      read_tool("om-backup-copy", &copy::add_copy_options, read),
      read_tool("om-backup-check", &check::add_check_options, read),
      read_tool("om-backup-restore", &restore::add_restore_options, read),
      read_tool("om-backup-migrate", &migrate::add_migrate_options, read),
      read_tool("om-backup-report", &add_report_options, read)};
  for (const auto& other : others) {
    if (!other)
      spdlog::warn("{}", other.error().message);
  }
  for (auto& s : file_only) {
    if (shown.insert(s.key).second)
      settings.push_back(std::move(s));
  }
  add_secrets(run_options, settings);
  print_settings(settings, request.format);
  return ExitStatus::ok;
}

} // namespace om::report
