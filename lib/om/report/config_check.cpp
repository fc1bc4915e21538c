#include <om/report/config_check.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>

#include <date/tz.h>
#include <unistd.h>

#include <om/borg/commands.hpp>
#include <om/borg/target_client.hpp>
#include <om/borg/version.hpp>
#include <om/config/target.hpp>
#include <om/db/catalog.hpp>
#include <om/db/migrations.hpp>
#include <om/ping/http.hpp>
#include <om/util/command_line.hpp>
#include <om/util/cron.hpp>
#include <om/util/strings.hpp>
#include <om/util/time.hpp>

namespace om::report {
namespace {

using Findings = std::vector<Finding>;

void passed(Findings& out, std::string check, std::string what) {
  out.push_back({std::move(check), "", std::move(what)});
}
void problem(Findings& out, std::string check, std::string what, std::string fix) {
  out.push_back({std::move(check), std::move(what), std::move(fix)});
}

void check_catalog(const config::Options& o, Findings& out) {
  auto catalog = db::Catalog::connect(o.catalog);
  if (!catalog) {
    problem(out, "catalog", catalog.error().message,
            "start the server, or set db-host/db-port/db-socket/db-user/db-name; the password "
            "goes in db-defaults-file or OM_DB_PASSWORD");
    return;
  }
  if (auto current = db::require_current_schema(*catalog); !current) {
    problem(out, "catalog", current.error().message, "run om-backup-migrate");
    return;
  }
  passed(out, "catalog", "reachable at " + o.catalog.describe() + ", schema current");
}

std::string repository_fix(const std::string& why) {
  if (why.find("passphrase") != std::string::npos)
    return "the passphrase is wrong: check passphrase-file or BORG_PASSPHRASE / "
           "BORG_PASSCOMMAND";
  if (why.find("does not exist") != std::string::npos ||
      why.find("is not a valid repository") != std::string::npos)
    return "check repo; om-backup-run creates a new repository on its first run";
  return "check that the repository can be reached (ssh-key, known-hosts, the server) and read";
}

void check_targets(const config::Options& o, Findings& out) {
  auto targets = config::resolve_targets(o);
  if (!targets) {
    problem(out, "targets", targets.error().message, "fix repo or the [target.NAME] sections");
    return;
  }
  if (targets->empty())
    problem(out, "targets", "no repository is configured",
            "set repo (or backup_settings.borg_repo_path), or use --kind files/db only");
  for (const auto& t : *targets) {
    const auto name = "target " + t.name;
    auto client = borg::client_for(t, o.borg_command, std::chrono::minutes(2));
    if (!client) {
      problem(out, name, client.error().message,
              "give it a passphrase: passphrase-file (mode 0600), or BORG_PASSPHRASE");
      continue;
    }
    // Cheap and conclusive: the repository's own info needs the key, so the passphrase.
    auto info = client->run(borg::cmd::info(t.repo));
    if (!info || !info->ok()) {
      auto why = info ? info->error().message : info.error().message;
      problem(out, name, why, repository_fix(why));
      continue;
    }
    passed(out, name,
           t.repo + ": reachable, passphrase correct (keep an export of its key away from this "
                    "server: borg key export)");
  }
}

// A folder a tool writes: there and writable, or creatable.
void check_writable(Findings& out, const std::string& check, const std::string& path) {
  std::error_code ec;
  auto at = std::filesystem::path(path);
  while (!at.empty() && !std::filesystem::exists(at, ec))
    at = at.parent_path();
  const std::string uid = std::to_string(::geteuid());
  if (at.empty() || !std::filesystem::is_directory(at, ec)) {
    problem(out, check, path + " cannot be made: nothing above it is a folder",
            "create it, or set " + check + " elsewhere");
    return;
  }
  if (::access(at.c_str(), W_OK | X_OK) != 0) {
    problem(out, check, at.string() + " is not writable by this user (uid " + uid + ")",
            "chown/chmod it for the user the tools run as, or set " + check + " elsewhere");
    return;
  }
  passed(out, check, at.string() == path ? path + " writable" : path + " will be created");
}

// The program a command line starts, on PATH or as a path.
bool program_found(const std::string& command) {
  auto argv = util::split_command(command);
  if (!argv || argv->empty())
    return false;
  const auto& program = argv->front();
  if (program.find('/') != std::string::npos)
    return ::access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  return std::ranges::any_of(
      util::split(path != nullptr ? path : "/usr/bin:/bin", ':'), [&program](std::string_view dir) {
        return !dir.empty() && ::access((std::string(dir) + "/" + program).c_str(), X_OK) == 0;
      });
}

void check_program(Findings& out, const std::string& key, const std::string& command,
                   const std::string& needed_for) {
  if (program_found(command))
    passed(out, key, command + " found");
  else
    problem(out, key, "'" + command + "' is not installed or not on PATH (" + needed_for + ")",
            "install it, or set " + key + " to its path");
}

// borg's version against the range the tools drive.
void check_borg(Findings& out, const std::string& program) {
  if (!program_found(program)) {
    check_program(out, "borg", program, "every borg backup");
    return;
  }
  auto version = borg::require_supported(program);
  if (!version)
    problem(out, "borg", version.error().message,
            "install borg 1.2.x or 1.4.x (Debian's borgbackup), or set borg to its path");
  else if (*version)
    passed(out, "borg",
           program + " is borg " + (*version)->text + " (supported: borg " +
               std::string(borg::k_supported_range) + ")");
  else
    problem(out, "borg", "'" + program + "' could not be started",
            "install it, or set borg to its path");
}

void check_programs(const config::Options& o, const run::RunRequest& run, Findings& out) {
  check_borg(out, o.borg_command);
  if (o.include_database)
    check_program(out, "mysqldump", run.mysqldump, "include-database is on");
  if (run.kind != "borg")
    check_program(out, "pigz", "pigz", "kind " + run.kind + " compresses with it");
  bool copies = !o.copy_to.empty();
  for (const auto& t : o.targets)
    copies = copies || !t.copy_to.empty();
  if (copies)
    check_program(out, "rclone", o.rclone_command, "copy-to is set");
  if (o.email_notifications && !o.notification_email.empty())
    check_program(out, "sendmail", run.notify.sendmail, "email-notifications is on");
}

void check_schedule(const config::Options& o, Findings& out) {
  auto schedule = util::CronSchedule::parse(o.schedule);
  if (!schedule) {
    problem(out, "schedule", schedule.error().message,
            "fix backup_settings.schedule (the UI's) or schedule: five cron fields or @daily");
    return;
  }
  std::vector<std::string> when;
  for (auto t : util::next_runs(*schedule, util::now_unix(), 3, date::current_zone()))
    when.push_back(util::format_time(t, date::current_zone(), "%Y-%m-%d %H:%M"));
  passed(out, "schedule",
         "'" + o.schedule + "'" +
             (o.enabled ? ", next runs " + util::join(when, ", ") : ", but enabled is off"));
}

void check_pings(const config::Options& o, Findings& out) {
  for (const auto& p : o.pings) {
    const auto host = ping::server_of(p.url);
    // The server's root, never the ping URL itself: a check must not count as a ping.
    auto answered = ping::send_http({"GET", host + "/", {}, {}}, std::chrono::seconds(5),
                                    std::chrono::seconds(3));
    if (answered)
      passed(out, "ping-url", host + " answers (HTTP " + std::to_string(*answered) + ")");
    else
      problem(out, "ping-url", host + " does not answer: " + answered.error().message,
              "check the URL, and this machine's way out (proxy, firewall, DNS)");
  }
}

} // namespace

std::vector<Finding> check_configuration(const config::Options& options,
                                         const run::RunRequest& run) {
  Findings out;
  check_catalog(options, out);
  check_targets(options, out);
  check_writable(out, "log-dir", options.log_dir);
  check_writable(out, "state-dir", options.state_dir);
  if (run.kind != "borg")
    check_writable(out, "backup-root", options.backup_root);
  check_programs(options, run, out);
  check_schedule(options, out);
  check_pings(options, out);
  return out;
}

} // namespace om::report
