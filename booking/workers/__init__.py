"""Where optimiser jobs run, outside the requests that queue them.

- `pool`: worker processes (spawned, at a lower OS priority, the optimiser's kernels warmed before they take a
  job) that run `booking.services.jobs.run_job`;
- `local`: on the SQLite default, `floorwise serve` polls the jobs table and hands queued jobs to such a pool;
- `queue`: on PostgreSQL, procrastinate's queue: a job is deferred in the transaction that queues it, and
  `floorwise worker` runs procrastinate's worker in front of such a pool.
"""
