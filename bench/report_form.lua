-- wrk script for the public report form (bench/public_form.py starts it).
-- One connection per thread, so each response belongs to the thread's last request: every token's
-- outcome is known, except the one request per thread still in flight when the time is up. Every
-- DUP_EVERY-th request re-sends the previous token (a double submit), which must show the same
-- receipt and create nothing.
local threads = {}

function setup(thread)
  thread:set("tid", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  csrf = os.getenv("BENCH_CSRF")
  cookie = os.getenv("BENCH_COOKIE")
  prefix = os.getenv("BENCH_PREFIX")
  kind = os.getenv("BENCH_KIND")
  text = os.getenv("BENCH_TEXT")
  dup_every = tonumber(os.getenv("BENCH_DUP_EVERY"))
  counter = 0
  sent = 0
  created = 0
  duplicate = 0
  failed = 0
  fails = ""
  last = nil
  last_n = 0
  answered = ""
  headers = {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. cookie,
  }
end

function request()
  local token
  if dup_every > 0 and last ~= nil and sent % dup_every == dup_every - 1 then
    token = last
  else
    counter = counter + 1
    token = string.format("%s-%02d-%07d", prefix, tid, counter)
    last_n = counter
  end
  last = token
  sent = sent + 1
  local body = "csrfmiddlewaretoken=" .. csrf .. "&token=" .. token .. "&kind=" .. kind .. "&text=" .. text .. "&contact="
  return wrk.format("POST", nil, headers, body)
end

function response(status, hdrs, body)
  if status == 200 and string.find(body, 'data-testid="receipt-code"', 1, true) then
    answered = answered .. last_n .. ","
    if string.find(body, 'data-testid="duplicate"', 1, true) then
      duplicate = duplicate + 1
    else
      created = created + 1
    end
  else
    failed = failed + 1
    if #fails < 2000 then
      fails = fails .. last .. "=" .. status .. ";"
    end
  end
end

function done(summary, latency, requests)
  local out = io.open(os.getenv("BENCH_WRK_OUT"), "w")
  out:write("{\"threads\": [")
  for i, thread in ipairs(threads) do
    if i > 1 then out:write(", ") end
    out:write(string.format(
      "{\"tid\": %d, \"tokens\": %d, \"sent\": %d, \"created\": %d, \"duplicate\": %d, \"failed\": %d, \"fails\": \"%s\", "
        .. "\"answered\": \"%s\"}",
      thread:get("tid"), thread:get("counter"), thread:get("sent"), thread:get("created"),
      thread:get("duplicate"), thread:get("failed"), thread:get("fails"), thread:get("answered")))
  end
  out:write(string.format(
    "], \"duration_us\": %d, \"requests\": %d, \"p50_us\": %d, \"p90_us\": %d, \"p99_us\": %d, \"max_us\": %d, "
      .. "\"errors\": {\"connect\": %d, \"read\": %d, \"write\": %d, \"status\": %d, \"timeout\": %d}}",
    summary.duration, summary.requests, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status,
    summary.errors.timeout))
  out:close()
end
