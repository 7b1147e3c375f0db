-- Containers and events as the relay writes them, for the specs.
local json = require "cjson.safe"

local M = {}

--- A MacVLAN container of demo/web; fields may be overridden.
function M.container(id, over)
    local c = {
        id = id, name = "demo.web." .. id, app = "web", tenant = "demo", pod = "lab", node = "node1",
        state = "running", ready = true, address = "10.120.128." .. id, ports = {},
        nodeAddress = "10.120.0.13", labels = { ["http-port"] = "8080" },
        cpu = "0.1", cpuset = { 1 }, memory = 67108864,
    }
    for k, v in pairs(over or {}) do
        c[k] = v
    end
    return c
end

function M.event(seq, typ, container)
    return { id = seq .. "-0", seq = seq, type = typ, container = container }
end

--- A membership hash (field -> JSON) of the given containers.
function M.hash(...)
    local h = {}
    for _, c in ipairs({ ... }) do
        h[tostring(c.id)] = json.encode(c)
    end
    return h
end

function M.addrs(peers)
    local list = {}
    for i, p in ipairs(peers) do
        list[i] = p.addr
    end
    return list
end

M.decode = json.decode

return M
