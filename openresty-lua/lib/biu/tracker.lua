-- The follower's state and rules, free of nginx: which snapshot to accept, how events move the
-- peers of the followed apps, and when the bus can no longer be trusted to continue from our position.
--
-- One tracker serves every followed app from one stream position (the relay orders all events in
-- one sequence, and one snapshot covers all apps atomically).
--
-- The rules that keep peers alive through bus trouble:
-- * A snapshot is accepted only when the bus has events (PREFIX:events:last present) and is not
--   behind us (last >= our position). A bus that restarted empty, or that the relay is still
--   refilling, leaves the published peers as they are; we retry later. If the bus stays behind us
--   for `behind_grace` seconds, its history was really reset (e.g. a restored scheduler database),
--   and its snapshot is accepted.
-- * An accepted snapshot is authoritative, including an empty membership hash: with last present,
--   the relay has written every membership update up to last, so an empty hash means the app has no
--   members. (Before last is present again, an empty hash proves nothing and is never used.)
-- * While tailing: last missing or below our position (the bus lost data), or entries after our
--   position trimmed before we read them (a gap) each call for a new snapshot; the peers stay.
local peers_mod = require "biu.peers"
local stream = require "biu.stream"

local M = {}
local Tracker = {}
Tracker.__index = Tracker

local pairs, ipairs, tostring, tonumber = pairs, ipairs, tostring, tonumber

--- The membership key suffix of an app: "tenant/app".
function M.app_key(app)
    return app.tenant .. "/" .. app.app
end

--- apps: list of { name, tenant, app, port }; opts.behind_grace: seconds (default 60).
function M.new(apps, opts)
    opts = opts or {}
    local self = setmetatable({
        apps = apps,
        by_key = {},            -- "tenant/app" -> list of apps
        members = {},           -- "tenant/app" -> members
        peers = {},             -- app name -> published peer list
        position = nil,         -- stream id we have applied up to
        behind_since = nil,     -- when we first saw the bus behind us
        behind_grace = opts.behind_grace or 60,
    }, Tracker)
    for _, app in ipairs(apps) do
        local key = M.app_key(app)
        self.by_key[key] = self.by_key[key] or {}
        local list = self.by_key[key]
        list[#list + 1] = app
    end
    return self
end

--- The keys ("tenant/app") whose membership hashes a snapshot must read, in a fixed order.
function Tracker:keys()
    local keys = {}
    for _, app in ipairs(self.apps) do
        local key = M.app_key(app)
        if not keys[key] then
            keys[key] = true
            keys[#keys + 1] = key
        end
    end
    return keys
end

--- Seeds an app's peer list with what is already published (a reloaded worker), so that an
--- unchanged list is not published again and peers keep their join times.
function Tracker:seed(name, list)
    self.peers[name] = list
end

local function carry_since(old, new, now)
    local since = {}
    for _, p in ipairs(old or {}) do
        since[p.addr] = p.since or 0
    end
    for _, p in ipairs(new) do
        p.since = since[p.addr] or now
    end
end

-- Recomputes the peers of every app of a key; returns the names whose list changed.
function Tracker:_refresh(key, now, changed)
    local members = self.members[key] or {}
    for _, app in ipairs(self.by_key[key] or {}) do
        local new = peers_mod.list(members, app.port)
        local old = self.peers[app.name]
        carry_since(old, new, old and now or 0)
        if not old or not peers_mod.same(old, new) then
            self.peers[app.name] = new
            changed[#changed + 1] = app.name
        end
    end
end

--- Considers a snapshot: hashes maps "tenant/app" -> {field -> json}; last is the bus's last sequence
--- (a string, or nil when missing). Returns accepted (bool), then on acceptance the list of app
--- names whose peers changed and the undecodable members ({key, field}), else the reason.
function Tracker:snapshot(hashes, last, decode, now)
    if not tonumber(last) then
        return false, "the bus has no events (last sequence missing): keeping the peers"
    end
    local last_id = stream.id_of(tonumber(last))
    if self.position and stream.compare(last_id, self.position) < 0 then
        self.behind_since = self.behind_since or now
        if now - self.behind_since < self.behind_grace then
            return false, "the bus is behind us (last " .. last .. " < " .. self.position
                .. "): it lost data and is being refilled; keeping the peers"
        end
    end
    self.behind_since = nil
    local changed, bad = {}, {}
    for _, key in ipairs(self:keys()) do
        local members, bad_fields = peers_mod.from_hash(hashes[key] or {}, decode)
        for _, f in ipairs(bad_fields) do
            bad[#bad + 1] = { key = key, field = f }
        end
        self.members[key] = members
        self:_refresh(key, now, changed)
    end
    self.position = last_id
    return true, changed, bad
end

--- Applies events in order (already parsed by biu.stream). Returns the names of apps whose peers
--- changed. Events at or before our position are ignored; the position moves past every event.
function Tracker:apply(events, now)
    local touched, seen = {}, {}
    for _, ev in ipairs(events) do
        if not self.position or stream.compare(ev.id, self.position) > 0 then
            self.position = ev.id
            local c = ev.container
            if c and not ev.bad then
                local key = tostring(c.tenant) .. "/" .. tostring(c.app)
                if self.by_key[key] then
                    self.members[key] = self.members[key] or {}
                    if peers_mod.apply(self.members[key], ev) and not seen[key] then
                        seen[key] = true
                        touched[#touched + 1] = key
                    end
                end
            end
        end
    end
    local changed = {}
    for _, key in ipairs(touched) do
        self:_refresh(key, now, changed)
    end
    return changed
end

--- Whether we can go on tailing from our position, given the bus's last sequence (string or nil)
--- and its XINFO STREAM as a map (or nil). Returns nil when fine, else the reason to re-snapshot.
function Tracker:check(last, info)
    if not self.position then
        return "no position yet"
    end
    if not tonumber(last) then
        return "the bus lost its events (last sequence missing)"
    end
    if stream.compare(stream.id_of(tonumber(last)), self.position) < 0 then
        return "the bus is behind us (last " .. last .. " < " .. self.position .. ")"
    end
    if info then
        local gap, deleted = stream.gap_after(self.position, info)
        if gap then
            return "entries after " .. self.position .. " were trimmed before we read them (" .. deleted .. ")"
        end
    end
    return nil
end

return M
