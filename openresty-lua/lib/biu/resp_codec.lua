-- RESP2 encoding and reply parsing, free of nginx: the cosocket client (biu.resp) feeds the parser
-- through a reader with two functions, so the same code is unit-tested with in-memory readers.
--
-- Replies map to Lua values as follows:
--   simple string, bulk string -> string
--   integer                    -> number
--   nil bulk, nil array        -> M.null (a sentinel, so that arrays keep their length)
--   array                      -> sequence table with field n (its length), elements parsed recursively
--   error                      -> an error value: M.is_error(v) is true, v.message is the text
local M = {}

local concat, tostring, tonumber, type = table.concat, tostring, tonumber, type
local setmetatable, getmetatable = setmetatable, getmetatable
local sub, byte = string.sub, string.byte

M.null = setmetatable({}, { __tostring = function() return "null" end })

local ErrorReply = {}
ErrorReply.__index = ErrorReply
ErrorReply.__tostring = function(e) return e.message end

--- An error reply as the parser returns it (also handy for tests).
function M.error_reply(message)
    return setmetatable({ message = message }, ErrorReply)
end

function M.is_error(v)
    return type(v) == "table" and getmetatable(v) == ErrorReply
end

--- Encodes one command (a sequence of strings or numbers) as a RESP array of bulk strings.
function M.encode(args)
    local n = #args
    local out = { "*", n, "\r\n" }
    local k = 4
    for i = 1, n do
        local a = args[i]
        if type(a) ~= "string" then
            a = tostring(a)
        end
        out[k], out[k + 1], out[k + 2], out[k + 3], out[k + 4] = "$", #a, "\r\n", a, "\r\n"
        k = k + 5
    end
    return concat(out)
end

--- Encodes several commands back to back (a pipeline).
function M.encode_many(commands)
    local out = {}
    for i = 1, #commands do
        out[i] = M.encode(commands[i])
    end
    return concat(out)
end

local MAX_DEPTH = 16

local function read_reply(reader, depth)
    local line, err = reader.line()
    if not line then
        return nil, err or "closed"
    end
    local prefix, rest = byte(line, 1), sub(line, 2)
    if prefix == 43 then -- '+'
        return rest
    elseif prefix == 45 then -- '-'
        return M.error_reply(rest)
    elseif prefix == 58 then -- ':'
        local v = tonumber(rest)
        if not v then
            return nil, "bad integer reply: " .. line
        end
        return v
    elseif prefix == 36 then -- '$'
        local len = tonumber(rest)
        if not len then
            return nil, "bad bulk length: " .. line
        end
        if len < 0 then
            return M.null
        end
        local data, rerr = reader.bytes(len + 2)
        if not data then
            return nil, rerr or "closed"
        end
        if #data ~= len + 2 or sub(data, -2) ~= "\r\n" then
            return nil, "bad bulk string of length " .. len
        end
        return sub(data, 1, len)
    elseif prefix == 42 then -- '*'
        local n = tonumber(rest)
        if not n then
            return nil, "bad array length: " .. line
        end
        if n < 0 then
            return M.null
        end
        if depth >= MAX_DEPTH then
            return nil, "arrays nested deeper than " .. MAX_DEPTH
        end
        local arr = { n = n }
        for i = 1, n do
            local v, verr = read_reply(reader, depth + 1)
            if v == nil then
                return nil, verr
            end
            arr[i] = v
        end
        return arr
    end
    return nil, "bad reply line: " .. line
end

--- Reads one reply. reader.line() returns the next line without its CRLF, reader.bytes(n) exactly
--- n bytes; both return nil, err on failure. Returns the value, or nil and an error text for a
--- protocol or read failure (an error *reply* is a value: see M.is_error).
function M.read_reply(reader)
    return read_reply(reader, 0)
end

--- A reader over a string (tests, and replies already in memory).
function M.string_reader(s)
    local pos = 1
    return {
        line = function()
            local i = s:find("\r\n", pos, true)
            if not i then
                return nil, "closed"
            end
            local line = sub(s, pos, i - 1)
            pos = i + 2
            return line
        end,
        bytes = function(n)
            if pos + n - 1 > #s then
                pos = #s + 1
                return nil, "closed"
            end
            local data = sub(s, pos, pos + n - 1)
            pos = pos + n
            return data
        end,
        rest = function()
            return sub(s, pos)
        end,
    }
end

--- A flat array reply of alternating names and values (HGETALL, XINFO, stream entry fields) as a map.
function M.pairs_to_map(arr)
    local map = {}
    if type(arr) ~= "table" or arr == M.null then
        return map
    end
    for i = 1, #arr - 1, 2 do
        map[arr[i]] = arr[i + 1]
    end
    return map
end

return M
