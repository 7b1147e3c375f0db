-- A small RESP2 client over ngx.socket.tcp (cosockets): connect with a timeout, optional AUTH,
-- single commands and pipelines. Protocol work is done by the pure biu.resp_codec.
--
--   local conn, err = resp.connect{ host = "127.0.0.1", port = 6390, password = nil,
--                                    connect_timeout = 1000, read_timeout = 3000 }
--   local value, err = conn:command({ "GET", "biu:events:last" })
--   local replies, err = conn:pipeline({ { "MULTI" }, { "GET", "k" }, { "EXEC" } })
--   conn:keepalive()  -- back to the pool, or conn:close()
--
-- command() returns nil, err for I/O and protocol failures and for an error reply (err is then the
-- reply's text); pipeline() returns every reply (error replies as codec error values) or nil, err
-- for an I/O failure, after which the connection is closed and must not be reused.
local codec = require "biu.resp_codec"

local M = {}
local Conn = {}
Conn.__index = Conn

local function reader_of(sock)
    return {
        line = function() return sock:receive("*l") end,
        bytes = function(n) return sock:receive(n) end,
    }
end

--- Opens a connection (from the cosocket pool when one is idle there) and authenticates new ones.
function M.connect(opts)
    local sock, err = ngx.socket.tcp()
    if not sock then
        return nil, err
    end
    local read_timeout = opts.read_timeout or 3000
    sock:settimeouts(opts.connect_timeout or 1000, opts.send_timeout or read_timeout, read_timeout)
    local pool = opts.pool or ("biu-resp:" .. opts.host .. ":" .. opts.port)
    local ok, cerr = sock:connect(opts.host, opts.port, { pool = pool })
    if not ok then
        return nil, "connect to " .. opts.host .. ":" .. opts.port .. ": " .. tostring(cerr)
    end
    local conn = setmetatable({ sock = sock, reader = reader_of(sock), read_timeout = read_timeout }, Conn)
    if opts.password and opts.password ~= "" and sock:getreusedtimes() == 0 then
        local args = opts.username and { "AUTH", opts.username, opts.password } or { "AUTH", opts.password }
        local _, aerr = conn:command(args)
        if aerr then
            conn:close()
            return nil, "AUTH: " .. aerr
        end
    end
    return conn
end

--- Sets the read timeout in milliseconds (e.g. longer than an XREAD BLOCK).
function Conn:set_read_timeout(ms)
    self.read_timeout = ms
    self.sock:settimeouts(nil, nil, ms)
end

--- Sends several commands in one write and reads their replies in order.
function Conn:pipeline(commands)
    if not self.sock then
        return nil, "closed"
    end
    local _, err = self.sock:send(codec.encode_many(commands))
    if err then
        self:close()
        return nil, "send: " .. err
    end
    local replies = { n = #commands }
    for i = 1, #commands do
        local v, rerr = codec.read_reply(self.reader)
        if v == nil then
            self:close()
            return nil, "read: " .. tostring(rerr)
        end
        replies[i] = v
    end
    return replies
end

--- Sends one command; returns its reply, or nil and an error (an error reply's text included).
function Conn:command(args)
    local replies, err = self:pipeline({ args })
    if not replies then
        return nil, err
    end
    local v = replies[1]
    if codec.is_error(v) then
        return nil, v.message
    end
    return v
end

--- Returns the connection to the cosocket pool.
function Conn:keepalive(idle_ms, size)
    if self.sock then
        self.sock:setkeepalive(idle_ms or 60000, size or 4)
        self.sock = nil
    end
end

function Conn:close()
    if self.sock then
        self.sock:close()
        self.sock = nil
    end
end

M.null = codec.null
M.is_error = codec.is_error
M.pairs_to_map = codec.pairs_to_map

return M
