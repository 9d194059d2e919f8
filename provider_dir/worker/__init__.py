"""The worker: delivers the outbox and runs the scheduled jobs (flask worker)."""
