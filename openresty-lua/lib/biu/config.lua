-- The module's configuration, set once from init_by_lua* and read-only afterwards:
--
--   require("biu.config").setup{
--     bus = { host = "127.0.0.1", port = 6390, password = nil, password_file = nil, prefix = "biu" },
--     apps = { { name = "web", tenant = "demo", app = "web", port = 80 } },
--     fail_timeout = 10, max_fails = 1, more_tries = 2, slow_start = 0,
--   }
--
-- setup() validates and raises an error naming the bad setting, so `nginx -t` fails with it.
-- An app's name is the key of its upstream (biu.balancer.balance(name)) and of its shared-dict entries;
-- tenant/app select the membership hash PREFIX:members:TENANT/APP and the events to apply;
-- port is used for containers without the http-port label.
local M = {}

local DEFAULTS = {
    fail_timeout = 10,     -- seconds a peer stays marked failed
    max_fails = 1,         -- failures within fail_timeout that mark a peer failed
    more_tries = 2,        -- at most this many further peers per request after the first
    slow_start = 0,        -- seconds over which a new peer ramps up to a full share; 0: off
    block_ms = 1000,       -- XREAD BLOCK; short so that a reload finishes quickly
    count = 200,           -- XREAD COUNT
    check_interval = 5,    -- seconds between bus checks (lost data, trimmed stream) while tailing
    backoff_min = 0.5,     -- seconds to wait after a failure, doubling up to backoff_max
    backoff_max = 5,
    behind_grace = 60,     -- seconds the bus may stay behind us before its history counts as reset
}

M.settings = nil

local function fail(msg)
    error("biu.config: " .. msg, 3)
end

local function number(t, key, min)
    local v = t[key]
    if type(v) ~= "number" or v < min then
        fail(key .. " must be a number >= " .. min .. ", got " .. tostring(v))
    end
    return v
end

local function read_file(path)
    local f, err = io.open(path, "r")
    if not f then
        fail("bus.password_file: " .. tostring(err))
    end
    local s = f:read("*a")
    f:close()
    return (s:gsub("%s+$", ""))
end

local function blank(v)
    return v == nil or v == ""
end

--- Validates and stores the configuration; returns the stored settings.
function M.setup(opts)
    if type(opts) ~= "table" then
        fail("setup expects a table")
    end
    local s = {}
    for k, v in pairs(DEFAULTS) do
        s[k] = opts[k] == nil and v or opts[k]
    end
    for k in pairs(DEFAULTS) do
        number(s, k, (k == "slow_start" or k == "more_tries") and 0 or (k == "max_fails" and 1 or 0.001))
    end
    local bus = opts.bus or {}
    s.bus = {
        host = blank(bus.host) and "127.0.0.1" or bus.host,
        port = tonumber(bus.port) or 6390,
        prefix = blank(bus.prefix) and "biu" or bus.prefix,
        username = not blank(bus.username) and bus.username or nil,
        password = not blank(bus.password) and bus.password or nil,
        connect_timeout = bus.connect_timeout or 1000,
    }
    if not blank(bus.password_file) then
        s.bus.password = read_file(bus.password_file)
    end
    if type(opts.apps) ~= "table" or #opts.apps == 0 then
        fail("apps must list at least one app to follow")
    end
    s.apps, s.by_name = {}, {}
    for i, a in ipairs(opts.apps) do
        local where = "apps[" .. i .. "]"
        if type(a) ~= "table" or blank(a.tenant) or blank(a.app) then
            fail(where .. " needs tenant and app")
        end
        local name = blank(a.name) and a.app or a.name
        if not name:match("^[%w_.-]+$") then
            fail(where .. ".name may use letters, digits, '_', '.', '-': " .. name)
        end
        if s.by_name[name] then
            fail(where .. ": name " .. name .. " is used twice")
        end
        local port = tonumber(a.port)
        if a.port ~= nil and not port then
            fail(where .. ".port must be a number")
        end
        local app = { name = name, tenant = a.tenant, app = a.app, port = port or 80 }
        s.apps[#s.apps + 1] = app
        s.by_name[name] = app
    end
    s.stream_key = s.bus.prefix .. ":events"
    s.last_key = s.bus.prefix .. ":events:last"
    s.members_prefix = s.bus.prefix .. ":members:"
    M.settings = s
    return s
end

--- The stored settings; errors when setup() was not called.
function M.get()
    if not M.settings then
        error("biu.config.setup{...} was not called from init_by_lua*", 2)
    end
    return M.settings
end

return M
