-- balancer_by_lua*:   require("biu.balancer").balance("web")
--
-- Every worker keeps its own copy of each app's peers and re-reads the shared dict only when the
-- app's version moved. The choice itself is biu.choice (round robin, skipping peers this request
-- tried and peers marked failed, optional slow start). A retry (proxy_next_upstream) first records
-- the failure of the previous try (ngx.balancer.get_last_failure), then picks a peer not yet tried.
-- A request may try up to more_tries further peers (never more than the other peers there are).
-- No peers at all: 503. On stock nginx an ngx.exit(<status>) in balancer_by_lua* becomes a 500
-- (only OpenResty's nginx carries the patch that passes the status on), so the location also calls
-- guard() from access_by_lua*, which answers 503 before the upstream is even asked.
local ngx_balancer = require "ngx.balancer"
local config = require "biu.config"
local choice = require "biu.choice"
local health = require "biu.health"
local store = require "biu.store"

local M = {}

local cache = {}    -- app name -> { version, peers }   (this worker's copy)
local counters = {} -- app name -> round-robin position  (this worker's)

local function peers_of(name)
    local version = store.version(name)
    if not version then
        return nil
    end
    local c = cache[name]
    if c and c.version == version then
        return c.peers
    end
    local peers = store.peers(name) or {}
    cache[name] = { version = version, peers = peers }
    return peers
end

M.peers_of = peers_of

--- access_by_lua*: 503 when the app has no peers (so that balance() always has one).
function M.guard(name)
    local peers = peers_of(name)
    if not peers or #peers == 0 then
        ngx.log(ngx.WARN, "biu balancer: app ", name, ": no peers, answering 503")
        ngx.header["Retry-After"] = "1"
        return ngx.exit(503)
    end
end

--- Sets the upstream peer of the current try for the app `name`.
function M.balance(name)
    local s = config.get()
    local ctx = ngx.ctx
    local state = ctx.biu_balancer
    if state and state.current then
        local failure, code = ngx_balancer.get_last_failure()
        if failure then
            health.record_failure(name, state.current, failure .. (code and (" " .. code) or ""))
        end
    end
    local peers = peers_of(name)
    if not peers or #peers == 0 then
        ngx.log(ngx.WARN, "biu balancer: app ", name, ": no peers")
        return ngx.exit(503)
    end
    if not state then
        state = { tried = {} }
        ctx.biu_balancer = state
        local more = choice.more_tries(#peers, s.more_tries)
        if more > 0 then
            ngx_balancer.set_more_tries(more)
        end
    end
    local now = ngx.now()
    local opts = {
        peers = peers,
        counter = counters[name] or (ngx.worker.id() or 0),
        now = now,
        tried = state.tried,
        slow_start = s.slow_start,
        random = math.random,
        failed_until = function(p) return health.failed_until(name, p.addr) end,
    }
    local peer, counter = choice.choose(opts)
    if not peer then
        -- every peer was tried (the list shrank during this request): start over
        opts.tried = {}
        peer, counter = choice.choose(opts)
    end
    counters[name] = counter
    state.tried[peer.addr] = true
    state.current = peer.addr
    local ok, err = ngx_balancer.set_current_peer(peer.host, peer.port)
    if not ok then
        ngx.log(ngx.ERR, "biu balancer: app ", name, ": cannot use peer ", peer.addr, ": ", err)
        return ngx.exit(500)
    end
end

return M
