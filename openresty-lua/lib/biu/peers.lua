-- One app's members and the peers they yield, free of nginx.
--
-- members: container id (string) -> { container = <decoded container JSON>, stopping = bool }.
-- A member is a peer when its container is running, ready, and not stopping: the event
-- container.stopping takes it out at once (before the container stops) and the mark stays until
-- the member is removed, whatever later events say about readiness.
-- Peer = { id, host, port, addr = "host:port" }: host is the container's own (MacVLAN) address;
-- a host-network container (no address) is reached at its node's address on its first allocated
-- host port. Otherwise the port is the label http-port, or the app's configured port.
local M = {}

local type, tostring, tonumber, pairs, ipairs = type, tostring, tonumber, pairs, ipairs
local sort = table.sort

M.PORT_LABEL = "http-port"

local UPSERT = {
    ["container.started"] = true,
    ["container.ready"] = true,
    ["container.stopping"] = true,
    ["container.stopped"] = true,
    ["container.died"] = true,
    ["container.lost"] = true,
}

local function str(v)
    return type(v) == "string" and v ~= "" and v or nil
end

--- The members of one app from its membership hash (field -> container JSON).
--- Returns members and a list of fields whose value could not be decoded.
function M.from_hash(hash, decode)
    local members, bad = {}, {}
    for field, json in pairs(hash) do
        local c = decode(json)
        if type(c) == "table" then
            members[tostring(field)] = { container = c, stopping = c.state == "stopping" }
        else
            bad[#bad + 1] = field
        end
    end
    sort(bad)
    return members, bad
end

--- Applies one container event (with ev.container) to the members. Returns true when it did.
function M.apply(members, ev)
    local c = ev.container
    if type(c) ~= "table" or c.id == nil then
        return false
    end
    local key = tostring(c.id)
    if ev.type == "container.removed" then
        members[key] = nil
        return true
    end
    if not UPSERT[ev.type] then
        return false
    end
    local old = members[key]
    members[key] = {
        container = c,
        stopping = ev.type == "container.stopping" or c.state == "stopping" or (old ~= nil and old.stopping),
    }
    return true
end

--- The peer a member yields, or nil and why not.
function M.peer_of(member, default_port)
    local c = member.container
    if member.stopping then
        return nil, "stopping"
    end
    if c.state ~= "running" then
        return nil, "state " .. tostring(c.state)
    end
    if c.ready ~= true then
        return nil, "not ready"
    end
    local labels = type(c.labels) == "table" and c.labels or {}
    local host, port = str(c.address), tonumber(labels[M.PORT_LABEL]) or default_port
    if not host then
        host = str(c.nodeAddress)
        if type(c.ports) == "table" and tonumber(c.ports[1]) then
            port = tonumber(c.ports[1])
        end
    end
    if not host then
        return nil, "no address"
    end
    if not port then
        return nil, "no port"
    end
    return { id = tostring(c.id), host = host, port = port, addr = host .. ":" .. port }
end

local function before(a, b)
    local ai, bi = tonumber(a.id), tonumber(b.id)
    if ai and bi and ai ~= bi then
        return ai < bi
    end
    if a.id ~= b.id then
        return a.id < b.id
    end
    return a.addr < b.addr
end

--- The peers of the members, ordered by container id (numerically), so that every worker and
--- every rebuild list them the same way.
function M.list(members, default_port)
    local list = {}
    for _, m in pairs(members) do
        local p = M.peer_of(m, default_port)
        if p then
            list[#list + 1] = p
        end
    end
    sort(list, before)
    return list
end

--- What changed from one peer list to the next, by address: added and removed peers, each in list order.
function M.diff(old, new)
    local in_old, in_new = {}, {}
    for _, p in ipairs(old) do in_old[p.addr] = true end
    for _, p in ipairs(new) do in_new[p.addr] = true end
    local added, removed = {}, {}
    for _, p in ipairs(new) do
        if not in_old[p.addr] then added[#added + 1] = p end
    end
    for _, p in ipairs(old) do
        if not in_new[p.addr] then removed[#removed + 1] = p end
    end
    return added, removed
end

--- Whether two peer lists are the same (same peers, same order).
function M.same(a, b)
    if #a ~= #b then
        return false
    end
    for i = 1, #a do
        if a[i].id ~= b[i].id or a[i].addr ~= b[i].addr then
            return false
        end
    end
    return true
end

return M
