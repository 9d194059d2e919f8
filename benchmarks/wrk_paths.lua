-- load.py's wrk phases: each request asks for a path read from a file given after "--" (the next one, never
-- repeated, with "fresh"; one at random otherwise) and counts answers that are not 200, and, for new URLs, answers
-- served from the page store (X-Page-Cache: hit). done() prints one line, "wrk-result {json}", for wrk_driver.py.
-- One wrk thread (-t1): each thread has its own Lua state, so two would ask for the same "new" URLs.

local paths, next_index, verified = {}, 0, false
bad, kept, listed, fresh = 0, 0, 0, false -- globals: done() reads them through thread:get

function init(args)
  for line in io.lines(args[1]) do paths[#paths + 1] = line end
  listed = #paths
  fresh = args[2] == "fresh"
  math.randomseed(1)
end

function request()
  local path
  if fresh then
    -- wrk calls request() once before the run to check what it returns (on the first thread's state, after
    -- init): that call must not use up the first URL, which would then never be asked.
    if verified then next_index = next_index + 1 else verified = true end
    -- Past the end of the list a URL is asked again; done() counts each answer beyond the list as a failure.
    path = paths[(math.max(next_index, 1) - 1) % #paths + 1]
  else
    path = paths[math.random(#paths)]
  end
  return wrk.format("GET", path)
end

function response(status, headers, body)
  if status ~= 200 then
    bad = bad + 1
  elseif fresh and headers["X-Page-Cache"] == "hit" then
    kept = kept + 1
  end
end

local threads = {}

function setup(thread)
  threads[#threads + 1] = thread
end

function done(summary, latency, requests)
  -- done() runs in wrk's main state, where init() never ran: the figures are the threads'.
  local bad_sum, kept_sum, listed_sum, fresh_run = 0, 0, 0, false
  for _, thread in ipairs(threads) do
    fresh_run = fresh_run or thread:get("fresh")
    bad_sum = bad_sum + thread:get("bad")
    kept_sum = kept_sum + thread:get("kept")
    listed_sum = listed_sum + thread:get("listed")
  end
  local exhausted_sum = 0
  if fresh_run then exhausted_sum = math.max(0, summary.requests - listed_sum) end
  local errors = summary.errors
  io.write(string.format(
    'wrk-result {"requests": %d, "seconds": %.6f, "not_ok": %d, "kept": %d, "exhausted": %d, ' ..
    '"socket_errors": %d, "p50_ms": %.3f, "p99_ms": %.3f}\n',
    summary.requests, summary.duration / 1e6, bad_sum, kept_sum, exhausted_sum,
    errors.connect + errors.read + errors.write + errors.timeout,
    latency:percentile(50) / 1000, latency:percentile(99) / 1000))
end
