-- The status page (content_by_lua*: require("biu.status").content()) and the per-app log hook
-- (log_by_lua*: require("biu.status").log("web")).
--
-- GET -> 200 application/json:
-- { "time": <now>, "follower": { "state", "reason", "since", "worker_pid" },
--   "apps": { "<name>": { "tenant", "app", "port", "version", "position", "snapshot_at",
--       "requests_total", "requests_per_second",
--       "peers": [ { "id", "host", "port", "addr", "since", "failed", "failed_until",
--                    "requests", "failures" } ] } } }
-- requests_per_second is the mean over the last RATE_WINDOW full seconds.
local cjson = require "cjson.safe"
local config = require "biu.config"
local health = require "biu.health"
local store = require "biu.store"

local M = {}

M.RATE_WINDOW = 10
local EMPTY = "__biu_empty_array__" -- cjson 2.1.0 encodes {} as an object; swapped for []
local FAILED_STATUS = { ["502"] = true, ["503"] = true, ["504"] = true }

local function stats()
    return ngx.shared[store.STATS]
end

-- "$upstream_addr" / "$upstream_status": tries are separated by ", " and internal redirects by " : ".
local function tries(addrs, statuses)
    local a, st = {}, {}
    for group in string.gmatch((addrs or "") .. " : ", "(.-) : ") do
        for part in string.gmatch(group, "[^,%s]+") do a[#a + 1] = part end
    end
    for group in string.gmatch((statuses or "") .. " : ", "(.-) : ") do
        for part in string.gmatch(group, "[^,%s]+") do st[#st + 1] = part end
    end
    return a, st
end

M._tries = tries

--- log_by_lua*: counts the request for the app and each try for its peer; a failed last try is
--- reported to passive health (the balancer sees only the failures it retries).
function M.log(name)
    local d = stats()
    local now = ngx.time()
    d:incr("sec:" .. name .. ":" .. now, 1, 0, M.RATE_WINDOW * 2)
    d:incr("total:" .. name, 1, 0)
    local addrs, statuses = tries(ngx.var.upstream_addr, ngx.var.upstream_status)
    for i, addr in ipairs(addrs) do
        if addr:find(":", 1, true) then
            d:incr("req:" .. name .. ":" .. addr, 1, 0)
            if FAILED_STATUS[statuses[i] or ""] then
                d:incr("err:" .. name .. ":" .. addr, 1, 0)
                if i == #addrs then
                    health.record_failure(name, addr, "status " .. statuses[i])
                end
            end
        end
    end
end

local function rate(name, now)
    local d, sum = stats(), 0
    for t = now - M.RATE_WINDOW, now - 1 do
        sum = sum + (d:get("sec:" .. name .. ":" .. t) or 0)
    end
    return sum / M.RATE_WINDOW
end

local function app_status(app, now)
    local d = stats()
    local info = store.app_info(app.name)
    local peers = {}
    for _, p in ipairs(store.peers(app.name) or {}) do
        local until_t = health.failed_until(app.name, p.addr)
        peers[#peers + 1] = {
            id = p.id, host = p.host, port = p.port, addr = p.addr, since = p.since,
            failed = until_t ~= nil and until_t > ngx.now(),
            failed_until = until_t or cjson.null,
            requests = d:get("req:" .. app.name .. ":" .. p.addr) or 0,
            failures = d:get("err:" .. app.name .. ":" .. p.addr) or 0,
        }
    end
    return {
        tenant = app.tenant, app = app.app, port = app.port,
        version = info.version, position = info.position or cjson.null,
        snapshot_at = info.snapshot_at or cjson.null,
        requests_total = d:get("total:" .. app.name) or 0,
        requests_per_second = rate(app.name, now),
        peers = #peers > 0 and peers or EMPTY,
    }
end

--- The status document as a Lua table.
function M.document()
    local now = ngx.time()
    local apps = {}
    for _, app in ipairs(config.get().apps) do
        apps[app.name] = app_status(app, now)
    end
    return { time = ngx.now(), follower = store.follower() or cjson.null, apps = apps }
end

--- content_by_lua*: the status document as JSON.
function M.content()
    local json = cjson.encode(M.document())
    json = json:gsub('"' .. EMPTY .. '"', "[]")
    ngx.header["Content-Type"] = "application/json"
    ngx.header["Cache-Control"] = "no-store"
    ngx.say(json)
end

return M
