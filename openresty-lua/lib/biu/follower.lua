-- Follows the bus and publishes the peers of the configured apps to the shared dict biu_peers.
--
-- Started from init_worker_by_lua*; only worker 0 follows (one connection for all apps):
--   1. snapshot: MULTI; HGETALL PREFIX:members:T/A (each app); GET PREFIX:events:last; EXEC
--      -> accepted or not by biu.tracker's rules (a bus without events never wipes the peers)
--   2. tail: XREAD BLOCK <block_ms> COUNT <count> STREAMS PREFIX:events <position>, apply the events
--      in order, publish the apps whose peers changed; before applying a batch, and every
--      check_interval seconds while idle, GET last + XINFO STREAM tell whether the bus lost data or
--      trimmed entries we never read: then back to 1 (the peers stay as they are).
--   Any error: close the connection, keep the peers, wait (backoff doubling from backoff_min to
--   backoff_max) and start again at 1.
-- Blocks are short and ngx.worker.exiting() is checked between reads, so a reload or stop waits at
-- most about one block for this worker. One timer runs the loop for up to RUN_SECONDS, then hands
-- its connection to the pool and re-arms itself (no endless coroutine).
local cjson = require "cjson.safe"
local config = require "biu.config"
local resp = require "biu.resp"
local stream = require "biu.stream"
local peers_mod = require "biu.peers"
local tracker_mod = require "biu.tracker"
local store = require "biu.store"

local M = {}

local RUN_SECONDS = 30
local log, WARN, NOTICE, ERR = ngx.log, ngx.WARN, ngx.NOTICE, ngx.ERR

local function decode(json)
    return cjson.decode(json)
end

local function connect(s)
    local conn, err = resp.connect({
        host = s.bus.host, port = s.bus.port, username = s.bus.username, password = s.bus.password,
        connect_timeout = s.bus.connect_timeout, read_timeout = s.block_ms + 3000,
    })
    return conn, err
end

local function log_changes(name, old, new)
    local added, removed = peers_mod.diff(old or {}, new)
    for _, p in ipairs(added) do
        log(NOTICE, "biu follower: app ", name, ": peer ", p.addr, " (container ", p.id, ") joined")
    end
    for _, p in ipairs(removed) do
        log(NOTICE, "biu follower: app ", name, ": peer ", p.addr, " (container ", p.id, ") left")
    end
end

local function publish(st, names, snapshot_at)
    local t = st.tracker
    for _, name in ipairs(names) do
        local version, err = store.publish(name, t.peers[name], t.position)
        if not version then
            log(ERR, "biu follower: app ", name, ": cannot publish peers: ", err)
        else
            log(NOTICE, "biu follower: app ", name, ": ", #t.peers[name], " peers, version ", version,
                " at ", t.position)
        end
        log_changes(name, st.published[name], t.peers[name])
        st.published[name] = t.peers[name]
    end
    for _, app in ipairs(st.settings.apps) do
        store.set_position(app.name, t.position, snapshot_at)
    end
end

-- Takes the atomic snapshot; returns true when accepted, false + reason when not, nil + err on errors.
local function snapshot(st, conn)
    local s, t = st.settings, st.tracker
    local keys = t:keys()
    local cmds = { { "MULTI" } }
    for _, key in ipairs(keys) do
        cmds[#cmds + 1] = { "HGETALL", s.members_prefix .. key }
    end
    cmds[#cmds + 1] = { "GET", s.last_key }
    cmds[#cmds + 1] = { "EXEC" }
    local replies, err = conn:pipeline(cmds)
    if not replies then
        return nil, err
    end
    local exec = replies[#replies]
    if resp.is_error(exec) or type(exec) ~= "table" or exec == resp.null then
        return nil, "snapshot transaction failed: " .. tostring(exec)
    end
    local hashes = {}
    for i, key in ipairs(keys) do
        local h = exec[i]
        if resp.is_error(h) then
            return nil, "HGETALL " .. s.members_prefix .. key .. ": " .. h.message
        end
        hashes[key] = resp.pairs_to_map(h)
    end
    local last = exec[#keys + 1]
    if last == resp.null or resp.is_error(last) then
        last = nil
    end
    local now = ngx.now()
    local accepted, changed, bad = t:snapshot(hashes, last, decode, now)
    if not accepted then
        return false, changed
    end
    for _, b in ipairs(bad) do
        log(WARN, "biu follower: member ", b.field, " of ", s.members_prefix, b.key, " is unreadable; skipped")
    end
    publish(st, changed, now)
    log(NOTICE, "biu follower: snapshot at ", t.position, " accepted (", #changed, " apps changed)")
    return true
end

-- GET last + XINFO STREAM: nil when we may go on from our position, else the reason not to.
local function check_bus(st, conn)
    local s = st.settings
    local replies, err = conn:pipeline({ { "GET", s.last_key }, { "XINFO", "STREAM", s.stream_key } })
    if not replies then
        return nil, err
    end
    local last = replies[1]
    if last == resp.null or resp.is_error(last) then
        last = nil
    end
    local info = replies[2]
    info = (type(info) == "table" and not resp.is_error(info) and info ~= resp.null) and resp.pairs_to_map(info) or nil
    return st.tracker:check(last, info) or false
end

-- Records trouble in the status and logs it, once per distinct message (an outage is one warning).
local function trouble(st, state, msg)
    store.set_follower(state, msg)
    if st.trouble ~= msg then
        st.trouble = msg
        log(WARN, "biu follower: ", msg)
    end
end

local function backoff(st)
    local d = st.backoff or st.settings.backoff_min
    st.backoff = math.min(d * 2, st.settings.backoff_max)
    return d
end

-- One run: returns the delay before the next run.
local function follow(st, deadline)
    local s, t = st.settings, st.tracker
    local conn, err = connect(s)
    if not conn then
        trouble(st, "bus-unreachable", err .. "; keeping the peers")
        st.need_snapshot = true
        return backoff(st)
    end
    local next_check = ngx.now() + s.check_interval
    while not ngx.worker.exiting() do
        if st.need_snapshot then
            local accepted, why = snapshot(st, conn)
            if accepted == nil then
                conn:close()
                trouble(st, "bus-error", "snapshot failed: " .. why .. "; keeping the peers")
                return backoff(st)
            elseif not accepted then
                conn:keepalive()
                trouble(st, "waiting", "snapshot not used: " .. why)
                return backoff(st)
            end
            st.need_snapshot, st.backoff = false, nil
            if st.trouble then
                log(NOTICE, "biu follower: tailing again from ", t.position, " after: ", st.trouble)
                st.trouble = nil
            end
            store.set_follower("tailing", nil)
            next_check = ngx.now() + s.check_interval
        end
        local reply, xerr = conn:command({ "XREAD", "COUNT", s.count, "BLOCK", s.block_ms,
                                           "STREAMS", s.stream_key, t.position })
        if reply == nil then
            trouble(st, "bus-error", "XREAD failed: " .. tostring(xerr) .. "; keeping the peers")
            st.need_snapshot = true
            conn:close()
            return backoff(st)
        end
        local events = stream.events_of(reply, s.stream_key, decode, resp.null)
        -- a non-nil reply without events: the stream was woken but our entries are gone (trimmed)
        if reply ~= resp.null or ngx.now() >= next_check then
            local why, cerr = check_bus(st, conn)
            if why == nil then
                conn:close()
                trouble(st, "bus-error", "bus check failed: " .. tostring(cerr) .. "; keeping the peers")
                st.need_snapshot = true
                return backoff(st)
            end
            next_check = ngx.now() + s.check_interval
            if why then
                trouble(st, "resync", why .. "; keeping the peers and taking a new snapshot")
                st.need_snapshot = true
                events = {}
            end
        end
        if #events > 0 then
            for _, ev in ipairs(events) do
                if ev.bad then
                    log(WARN, "biu follower: event ", ev.id, " skipped: ", ev.bad)
                end
            end
            publish(st, t:apply(events, ngx.now()))
        end
        if ngx.now() >= deadline then
            conn:keepalive()
            return 0
        end
    end
    conn:close()
    return nil
end

local run

run = function(premature, st)
    if premature or ngx.worker.exiting() then
        return
    end
    local ok, delay = pcall(follow, st, ngx.now() + RUN_SECONDS)
    if not ok then
        log(ERR, "biu follower: ", delay)
        trouble(st, "error", tostring(delay) .. "; keeping the peers")
        st.need_snapshot = true
        delay = backoff(st)
    end
    if delay and not ngx.worker.exiting() then
        local _, err = ngx.timer.at(delay, run, st)
        if err then
            log(ERR, "biu follower: cannot re-arm its timer: ", err)
        end
    end
end

--- Starts following in worker 0 (call from init_worker_by_lua*). Other workers return at once.
function M.start()
    if ngx.worker.id() ~= 0 then
        return
    end
    local s = config.get()
    local st = {
        settings = s,
        tracker = tracker_mod.new(s.apps, { behind_grace = s.behind_grace }),
        published = {},
        need_snapshot = true,
    }
    for _, app in ipairs(s.apps) do
        local list = store.peers(app.name)
        if list then
            st.tracker:seed(app.name, list)
            st.published[app.name] = list
        end
    end
    store.set_follower("starting", nil)
    local _, err = ngx.timer.at(0, run, st)
    if err then
        log(ERR, "biu follower: cannot start its timer: ", err)
    end
end

return M
