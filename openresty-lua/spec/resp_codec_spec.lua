local codec = require "biu.resp_codec"

-- A reader that delivers the input in chunks of `size` bytes, as a socket would.
local function chunked_reader(s, size)
    local buf, pos = "", 1
    local function fill()
        if pos > #s then
            return false
        end
        buf = buf .. s:sub(pos, pos + size - 1)
        pos = pos + size
        return true
    end
    return {
        line = function()
            while true do
                local i = buf:find("\r\n", 1, true)
                if i then
                    local line = buf:sub(1, i - 1)
                    buf = buf:sub(i + 2)
                    return line
                end
                if not fill() then return nil, "closed" end
            end
        end,
        bytes = function(n)
            while #buf < n do
                if not fill() then return nil, "closed" end
            end
            local data = buf:sub(1, n)
            buf = buf:sub(n + 1)
            return data
        end,
    }
end

local function parse(s)
    return codec.read_reply(codec.string_reader(s))
end

describe("resp_codec.encode", function()
    it("encodes a command as an array of bulk strings", function()
        assert.equal("*2\r\n$3\r\nGET\r\n$3\r\nkey\r\n", codec.encode({ "GET", "key" }))
    end)

    it("encodes numbers, empty strings and binary data by their byte length", function()
        assert.equal("*4\r\n$5\r\nXREAD\r\n$4\r\n1000\r\n$0\r\n\r\n$3\r\na\r\n\r\n",
            codec.encode({ "XREAD", 1000, "", "a\r\n" }))
    end)

    it("encodes a pipeline as commands back to back", function()
        assert.equal("*1\r\n$5\r\nMULTI\r\n*1\r\n$4\r\nEXEC\r\n",
            codec.encode_many({ { "MULTI" }, { "EXEC" } }))
    end)
end)

describe("resp_codec.read_reply", function()
    it("reads a simple string", function()
        assert.equal("OK", parse("+OK\r\n"))
    end)

    it("reads an error reply as an error value, not a failure", function()
        local v = parse("-WRONGTYPE Operation against a key\r\n")
        assert.is_true(codec.is_error(v))
        assert.equal("WRONGTYPE Operation against a key", v.message)
        assert.is_false(codec.is_error("WRONGTYPE"))
    end)

    it("reads integers, negative ones too", function()
        assert.equal(42, parse(":42\r\n"))
        assert.equal(-1, parse(":-1\r\n"))
    end)

    it("reads bulk strings, empty and binary ones included", function()
        assert.equal("hello", parse("$5\r\nhello\r\n"))
        assert.equal("", parse("$0\r\n\r\n"))
        assert.equal("a\r\nb", parse("$4\r\na\r\nb\r\n"))
    end)

    it("reads a nil bulk and a nil array as the null sentinel", function()
        assert.equal(codec.null, parse("$-1\r\n"))
        assert.equal(codec.null, parse("*-1\r\n"))
    end)

    it("reads arrays with mixed elements, keeping nils in place", function()
        local v = parse("*4\r\n$1\r\na\r\n$-1\r\n:7\r\n-ERR x\r\n")
        assert.equal(4, v.n)
        assert.equal("a", v[1])
        assert.equal(codec.null, v[2])
        assert.equal(7, v[3])
        assert.is_true(codec.is_error(v[4]))
    end)

    it("reads an empty array", function()
        local v = parse("*0\r\n")
        assert.equal(0, v.n)
        assert.equal(0, #v)
    end)

    it("reads nested arrays (an XREAD reply)", function()
        local v = parse("*1\r\n*2\r\n$10\r\nbiu:events\r\n*1\r\n*2\r\n$3\r\n5-0\r\n"
            .. "*2\r\n$4\r\ntype\r\n$15\r\ncontainer.ready\r\n")
        assert.equal("biu:events", v[1][1])
        assert.equal("5-0", v[1][2][1][1])
        assert.same({ "type", "container.ready", n = 2 }, v[1][2][1][2])
    end)

    it("rejects a bulk string whose length does not match its data", function()
        assert.is_nil(parse("$14\r\ncontainer.ready\r\n"))
    end)

    it("reads replies of a pipeline one after the other", function()
        local r = codec.string_reader("+OK\r\n+QUEUED\r\n*2\r\n*0\r\n$-1\r\n")
        assert.equal("OK", codec.read_reply(r))
        assert.equal("QUEUED", codec.read_reply(r))
        local exec = codec.read_reply(r)
        assert.equal(2, exec.n)
        assert.equal(codec.null, exec[2])
        assert.equal("", r.rest())
    end)

    it("reads the same reply whatever the chunks the bytes arrive in", function()
        local s = "*3\r\n$5\r\nhello\r\n*2\r\n:1\r\n$-1\r\n+OK\r\n"
        for size = 1, #s do
            local v = codec.read_reply(chunked_reader(s, size))
            assert.equal("hello", v[1])
            assert.equal(1, v[2][1])
            assert.equal(codec.null, v[2][2])
            assert.equal("OK", v[3])
        end
    end)

    it("fails on a truncated reply instead of returning part of it", function()
        for _, s in ipairs({ "", "+OK", "$5\r\nhel", "$5\r\nhello", "*2\r\n:1\r\n", "*2\r\n$1\r\na" }) do
            local v, err = codec.read_reply(chunked_reader(s, 3))
            assert.is_nil(v, s)
            assert.equal("closed", err)
        end
    end)

    it("passes on the reader's error", function()
        local v, err = codec.read_reply({ line = function() return nil, "timeout" end })
        assert.is_nil(v)
        assert.equal("timeout", err)
    end)

    it("rejects malformed replies", function()
        assert.is_nil(parse("?what\r\n"))
        assert.is_nil(parse(":x\r\n"))
        assert.is_nil(parse("$x\r\n"))
        assert.is_nil(parse("$2\r\nabcd\r\n"))
        assert.is_nil(parse(string.rep("*1\r\n", 20) .. ":1\r\n"))
    end)
end)

describe("resp_codec.pairs_to_map", function()
    it("turns a flat name/value array into a map", function()
        assert.same({ a = "1", b = "2" }, codec.pairs_to_map({ "a", "1", "b", "2", n = 4 }))
        assert.same({}, codec.pairs_to_map(codec.null))
    end)
end)
