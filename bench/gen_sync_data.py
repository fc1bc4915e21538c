#!/usr/bin/env python3
"""Generates what om-backup-sync reads for years of hourly backups: `borg list --json` and
`borg info --json` of N archives, M legacy-script logs (90% naming an archive, 10% failed
runs), and the floor's SQL: the same rows as one multi-row INSERT per table."""
import datetime, hashlib, json, os, sys, uuid

out, n_archives, n_logs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
repo = "/var/backups/OM/repo"
repo_id = hashlib.sha256(b"bench-repo").hexdigest()
start = datetime.datetime(2015, 1, 1, 2, 0, 0)
archives = []
for i in range(n_archives):
    t = start + datetime.timedelta(hours=i)
    name = "om-web1-" + t.strftime("%Y-%m-%dT%H:%M:%S")
    aid = hashlib.sha256(name.encode()).hexdigest()
    archives.append({
        "chunker_params": ["buzhash", 19, 23, 21, 4095],
        "command_line": ["/usr/bin/borg", "create", "--stats", repo + "::" + name, "/var/www/orthodoxmetrics/prod"],
        "comment": "", "duration": 12.5 + i % 7, "end": (t + datetime.timedelta(seconds=12)).strftime("%Y-%m-%dT%H:%M:%S.000000"),
        "hostname": "web1", "id": aid, "limits": {"max_archive_size": 0.0001}, "name": name,
        "start": t.strftime("%Y-%m-%dT%H:%M:%S.000000"),
        "stats": {"compressed_size": 1000000 + i, "deduplicated_size": 5000 + i, "nfiles": 20000, "original_size": 2000000 + i},
        "username": "root"})
repository = {"id": repo_id, "last_modified": "2026-11-26T00:00:00.000000", "location": repo}
os.makedirs(out, exist_ok=True)
with open(os.path.join(out, "info.json"), "w") as f:
    json.dump({"archives": archives, "cache": {}, "encryption": {"mode": "repokey"}, "repository": repository}, f, indent=4)
with open(os.path.join(out, "list.json"), "w") as f:
    json.dump({"archives": [{"archive": a["name"], "barchive": a["name"], "id": a["id"], "name": a["name"],
                             "start": a["start"], "time": a["start"]} for a in archives],
               "encryption": {"mode": "repokey"}, "repository": repository}, f, indent=4)

logs = os.path.join(out, "logs")
os.makedirs(logs, exist_ok=True)
for i in range(n_logs):
    a = archives[i % n_archives]
    t = datetime.datetime.strptime(a["start"][:19], "%Y-%m-%dT%H:%M:%S")
    stamp = lambda s: "[" + (t + datetime.timedelta(seconds=s)).strftime("%Y-%m-%d %H:%M:%S") + "] "
    path = os.path.join(logs, "backup-%s-%05d.log" % (t.strftime("%Y%m%d-%H%M%S"), i))
    with open(path, "w") as f:
        f.write(stamp(0) + "Starting backup (pid %d, host web1)\n" % (1000 + i))
        f.write(stamp(0) + "Creating archive " + a["name"] + "\n")
        if i % 10 == 9:
            f.write("passphrase supplied in BORG_PASSPHRASE, by BORG_PASSCOMMAND or via BORG_PASSPHRASE_FD is incorrect.\n")
            f.write(stamp(1) + "ERROR: borg create exited with rc 2\n" + stamp(1) + "Backup FAILED\n")
            continue
        f.write("-" * 78 + "\nRepository: %s\nArchive name: %s\nArchive fingerprint: %s\n" % (repo, a["name"], a["id"]))
        f.write("Time (start): Thu, %s\nTime (end):   Thu, %s\nDuration: 12.00 seconds\nNumber of files: 20000\n" %
                (t.strftime("%Y-%m-%d %H:%M:%S"), t.strftime("%Y-%m-%d %H:%M:%S")))
        f.write("-" * 78 + "\n" + stamp(12) + "Pruning\n" + stamp(13) + "Compacting\n" + stamp(14) + "Backup completed successfully\n")

def q(s): return "'" + s.replace("'", "''") + "'"
with open(os.path.join(out, "floor.sql"), "w") as f:
    jobs, runs, arts = [], [], []
    for a in archives:
        jid = str(uuid.uuid5(uuid.NAMESPACE_URL, a["id"]))
        st = a["start"][:19].replace("T", " ")
        jobs.append("(%s,'borg','success','script:root@web1',%s,%s,12500,NULL,%s)" % (q(jid), q(st), q(st), q(st)))
        runs.append("(%s,'web1',NULL,'sync',NULL,%s,%s,%s)" % (q(jid), q(repo), q(a["name"]), q(a["id"])))
        arts.append("(%s,%s,'borg',%s,%d,%s,%s,%s)" % (q(str(uuid.uuid5(uuid.NAMESPACE_OID, a["id"]))), q(jid),
                    q(repo + "::" + a["name"]), a["stats"]["compressed_size"], q(a["id"]), q("/var/backups/OM/manifests/" + jid + ".json"), q(st)))
    f.write("SET autocommit=0;\n")
    f.write("INSERT INTO backup_jobs (id,kind,status,requested_by,started_at,finished_at,duration_ms,error,created_at) VALUES " + ",".join(jobs) + ";\n")
    f.write("INSERT INTO backup_job_runs (job_id,host,pid,origin,log_path,repository,archive_name,archive_id) VALUES " + ",".join(runs) + ";\n")
    f.write("INSERT INTO backup_artifacts (id,job_id,artifact_type,file_path,file_size,sha256,manifest_path,created_at) VALUES " + ",".join(arts) + ";\n")
    f.write("COMMIT;\n")
