// The admin UI's side of backup_job_progress, as its Node backend would read it: the mysql2
// driver, one indexed query by job id, once a second. Waits for the newest job's row, then
// polls it until the job has ended; prints what it saw as one JSON array on stdout.
// Usage: node progress_poller.js SOCKET DATABASE [TIMEOUT_S]
'use strict';
const mysql = require('mysql2/promise');

async function main() {
  const [socketPath, database, timeoutArg] = process.argv.slice(2);
  const deadline = Date.now() + 1000 * Number(timeoutArg || 600);
  const db = await mysql.createConnection({ socketPath, user: 'root', database });
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  let jobId = null;
  while (jobId === null) {
    if (Date.now() > deadline) throw new Error('no progress row appeared');
    const [rows] = await db.query(
      'SELECT job_id FROM backup_job_progress ORDER BY started_at DESC LIMIT 1');
    if (rows.length > 0) jobId = rows[0].job_id;
    else await sleep(200);
  }
  const seen = [];
  for (;;) {
    if (Date.now() > deadline) throw new Error('the job never ended');
    const [rows] = await db.execute(
      'SELECT status, phase, files, bytes_processed, compressed_bytes, deduplicated_bytes, ' +
      'current_path, percent, eta_seconds, updated_at FROM backup_job_progress WHERE job_id = ?',
      [jobId]);
    const row = rows[0];
    seen.push({
      status: row.status, phase: row.phase, files: Number(row.files),
      bytes_processed: Number(row.bytes_processed), current_path: row.current_path,
      percent: row.percent === null ? null : Number(row.percent), eta_seconds: row.eta_seconds,
    });
    if (row.status !== 'running') break;
    await sleep(1000);
  }
  await db.end();
  process.stdout.write(JSON.stringify({ job_id: jobId, seen }) + '\n');
}

main().catch((err) => {
  process.stderr.write(`progress_poller: ${err.message}\n`);
  process.exit(1);
});
