-- Where the follower, the balancers and the status page meet: the shared dicts and their keys.
--
-- lua_shared_dict biu_peers   peers:<app>       JSON list of peers {id, host, port, addr, since}
--                             version:<app>     incremented after every change of peers:<app>
--                             position:<app>    the stream id the list reflects
--                             snapshot_at:<app> when the last accepted snapshot was taken (seconds)
--                             follower          JSON {state, reason, since, worker_pid}
-- lua_shared_dict biu_health  fails:<app>:<addr> failures within fail_timeout (expires)
--                             down:<app>:<addr>  marked failed until this time (expires)
-- lua_shared_dict biu_stats   req:<app>:<addr>, err:<app>:<addr>  tries and failed tries per peer
--                             sec:<app>:<second> requests per second (kept ~20 s), total:<app>
local cjson = require "cjson.safe"

local M = {}

M.PEERS, M.HEALTH, M.STATS = "biu_peers", "biu_health", "biu_stats"

local function dict(name)
    local d = ngx.shared[name]
    if not d then
        error("lua_shared_dict " .. name .. " is not declared", 2)
    end
    return d
end

--- Publishes an app's peer list: the list first, then the version, so that a worker which sees
--- the new version reads the new list.
function M.publish(name, peers, position)
    local d = dict(M.PEERS)
    local json = cjson.encode(peers)
    if #peers == 0 then
        json = "[]" -- cjson encodes an empty table as an object
    end
    local ok, err = d:set("peers:" .. name, json)
    if not ok then
        return nil, err
    end
    d:set("position:" .. name, position or "")
    return d:incr("version:" .. name, 1, 0)
end

function M.set_position(name, position, snapshot_at)
    local d = dict(M.PEERS)
    d:set("position:" .. name, position or "")
    if snapshot_at then
        d:set("snapshot_at:" .. name, snapshot_at)
    end
end

function M.version(name)
    return dict(M.PEERS):get("version:" .. name)
end

--- The published peers of an app (a list), or nil when nothing was published yet.
function M.peers(name)
    local json = dict(M.PEERS):get("peers:" .. name)
    if not json then
        return nil
    end
    local list = cjson.decode(json)
    return type(list) == "table" and list or nil
end

function M.app_info(name)
    local d = dict(M.PEERS)
    local position = d:get("position:" .. name)
    return {
        version = d:get("version:" .. name) or 0,
        position = position ~= "" and position or nil,
        snapshot_at = d:get("snapshot_at:" .. name),
    }
end

function M.set_follower(state, reason)
    dict(M.PEERS):set("follower", cjson.encode({
        state = state, reason = reason or cjson.null, since = ngx.now(), worker_pid = ngx.worker.pid(),
    }))
end

function M.follower()
    local json = dict(M.PEERS):get("follower")
    return json and cjson.decode(json) or nil
end

return M
