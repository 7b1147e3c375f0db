-- Passive health, shared by all workers through lua_shared_dict biu_health: a peer that failed
-- max_fails times within fail_timeout seconds is marked failed for fail_timeout seconds.
local config = require "biu.config"

local M = {}

local function dict()
    return ngx.shared.biu_health
end

--- Until when the peer (addr "host:port") of the app is marked failed, or nil.
function M.failed_until(name, addr)
    return dict():get("down:" .. name .. ":" .. addr)
end

--- Counts one failure of a peer; marks it failed when it reached max_fails. Returns true when it did.
function M.record_failure(name, addr, why)
    local s = config.get()
    local d = dict()
    local fails = d:incr("fails:" .. name .. ":" .. addr, 1, 0, s.fail_timeout)
    if fails and fails >= s.max_fails then
        d:set("down:" .. name .. ":" .. addr, ngx.now() + s.fail_timeout, s.fail_timeout)
        d:delete("fails:" .. name .. ":" .. addr)
        ngx.log(ngx.WARN, "biu balancer: app ", name, ": peer ", addr, " marked failed for ",
            s.fail_timeout, " s after ", fails, " failure(s), last: ", why)
        return true
    end
    return false
end

return M
