-- Reading the event stream, free of nginx: XREAD replies into events, and stream ids.
--
-- The relay writes entries with explicit ids "<seq>-0" and the fields type, seq and json, where
-- json is the whole event ({"seq":..,"type":..,"container":{..}}; node events have no container).
local M = {}

local tonumber, tostring, type, ipairs = tonumber, tostring, type, ipairs
local match = string.match

--- Splits an id "ms-seq" into two numbers; nil for anything else.
function M.parse_id(id)
    if type(id) ~= "string" then
        return nil
    end
    local ms, seq = match(id, "^(%d+)%-(%d+)$")
    if not ms then
        ms = match(id, "^(%d+)$")
        seq = ms and "0"
    end
    if not ms then
        return nil
    end
    return tonumber(ms), tonumber(seq)
end

--- Compares two stream ids: -1, 0 or 1. Errors on a malformed id.
function M.compare(a, b)
    local am, as = M.parse_id(a)
    local bm, bs = M.parse_id(b)
    if not am or not bm then
        error("bad stream id: " .. tostring(am and b or a), 2)
    end
    if am ~= bm then
        return am < bm and -1 or 1
    end
    if as ~= bs then
        return as < bs and -1 or 1
    end
    return 0
end

--- The stream id of an event sequence number ("<seq>-0").
function M.id_of(seq)
    return string.format("%d-0", seq)
end

--- The sequence number of an id written by the relay (its first part).
function M.seq_of(id)
    local ms = M.parse_id(id)
    return ms
end

--- The smallest id after the given one (for exclusive ranges).
function M.next_id(id)
    local ms, seq = M.parse_id(id)
    if not ms then
        error("bad stream id: " .. tostring(id), 2)
    end
    return string.format("%d-%d", ms, seq + 1)
end

local function field_map(fields)
    local map = {}
    if type(fields) == "table" then
        for i = 1, #fields - 1, 2 do
            map[fields[i]] = fields[i + 1]
        end
    end
    return map
end

--- Turns one stream entry ({id, {field, value, ...}}) into an event:
--- {id, seq, type, container, time, bad}. `decode` decodes JSON (returns nil, err on failure).
--- An entry whose json cannot be read is still an event (bad = the reason) so the caller can log it
--- and still move past it.
function M.event_of(entry, decode)
    local id = entry[1]
    local f = field_map(entry[2])
    local ev = { id = id, seq = tonumber(f.seq) or M.seq_of(id), type = f.type }
    if f.json then
        local doc, err = decode(f.json)
        if type(doc) ~= "table" then
            ev.bad = "unreadable json: " .. tostring(err)
        else
            ev.type = ev.type or doc.type
            ev.time = type(doc.time) == "string" and doc.time or nil
            if type(doc.container) == "table" then
                ev.container = doc.container
            end
        end
    end
    if not ev.type then
        ev.bad = ev.bad or "no type"
    end
    return ev
end

--- Turns an XREAD reply into events in stream order. `null` is the client's nil-reply sentinel
--- (a timed out XREAD BLOCK answers it): no events then. Only entries of `stream_key` are read.
function M.events_of(reply, stream_key, decode, null)
    local events = {}
    if type(reply) ~= "table" or reply == null then
        return events
    end
    for _, s in ipairs(reply) do
        if type(s) == "table" and s[1] == stream_key and type(s[2]) == "table" then
            for _, entry in ipairs(s[2]) do
                events[#events + 1] = M.event_of(entry, decode)
            end
        end
    end
    return events
end

--- Whether entries after `position` may be gone before we read them, from an XINFO STREAM reply
--- turned into a map. Returns the answer and the evidence.
--- * max-deleted-entry-id beyond our position: an entry we never read was deleted (XDEL; Redis 7.0
---   does not record trims there, so that alone is not enough);
--- * the first entry beyond our position: trimming (which removes the oldest entries) reached past
---   our position, and entries between the two may have gone (we cannot tell, so we assume they did;
---   with MAXLEN ~ N this happens only to a follower about N entries behind);
--- * an empty stream whose last-generated-id is beyond our position: everything was trimmed.
function M.gap_after(position, info)
    local deleted = info["max-deleted-entry-id"]
    if type(deleted) == "string" and M.compare(deleted, position) > 0 then
        return true, "max-deleted-entry-id " .. deleted
    end
    local first = info["first-entry"]
    if type(first) == "table" and type(first[1]) == "string" then
        if M.compare(first[1], position) > 0 then
            return true, "first-entry " .. first[1]
        end
        return false
    end
    local generated = info["last-generated-id"]
    if type(generated) == "string" and M.compare(generated, position) > 0 then
        return true, "empty stream, last-generated-id " .. generated
    end
    return false
end

return M
