local choice = require "biu.choice"

local function peers(n)
    local list = {}
    for i = 1, n do
        list[i] = { id = tostring(i), addr = "10.0.0." .. i .. ":80" }
    end
    return list
end

-- Picks `times` peers in a row like a worker does, returning their ids.
local function picks(opts, times)
    local ids, counter = {}, opts.counter or 0
    for i = 1, times do
        opts.counter = counter
        local p, c = choice.choose(opts)
        ids[i] = p.id
        counter = c
    end
    return ids
end

describe("choice.choose", function()
    it("goes round robin", function()
        assert.same({ "1", "2", "3", "1", "2", "3" }, picks({ peers = peers(3), counter = 0, now = 100 }, 6))
        assert.same({ "3", "1" }, picks({ peers = peers(3), counter = 2, now = 100 }, 2))
    end)

    it("skips peers marked failed until their mark expires", function()
        local marks = { ["10.0.0.2:80"] = 110 }
        local opts = { peers = peers(3), now = 100, failed_until = function(p) return marks[p.addr] end }
        assert.same({ "1", "3", "1", "3" }, picks(opts, 4))
        opts.now = 110
        assert.same({ "1", "2", "3" }, picks({ peers = opts.peers, now = 110, failed_until = opts.failed_until }, 3))
    end)

    it("still picks a peer when every peer is marked failed", function()
        local opts = { peers = peers(2), counter = 0, now = 100, failed_until = function() return 200 end }
        local p, _, why = choice.choose(opts)
        assert.equal("1", p.id)
        assert.equal("all-failed", why)
    end)

    it("gives each try of a request a peer it has not tried", function()
        local opts = { peers = peers(3), counter = 0, now = 100, tried = {} }
        local seen = {}
        for _ = 1, 3 do
            local p, c = choice.choose(opts)
            assert.is_nil(seen[p.id])
            seen[p.id] = true
            opts.tried[p.addr] = true
            opts.counter = c
        end
        local p, why = choice.choose(opts)
        assert.is_nil(p)
        assert.equal("all peers tried", why)
    end)

    it("prefers an untried failed peer over none, and a healthy one over a failed one", function()
        local marks = { ["10.0.0.3:80"] = 200 }
        local opts = { peers = peers(3), counter = 0, now = 100, tried = { ["10.0.0.1:80"] = true },
                       failed_until = function(p) return marks[p.addr] end }
        assert.equal("2", choice.choose(opts).id)
        opts.tried["10.0.0.2:80"] = true
        local p, _, why = choice.choose(opts)
        assert.equal("3", p.id)
        assert.equal("all-failed", why)
    end)

    it("answers no peer only when there are none", function()
        local p, why = choice.choose({ peers = {}, counter = 0, now = 1 })
        assert.is_nil(p)
        assert.equal("no peers", why)
    end)

    describe("slow start", function()
        local function share(age, slow_start)
            local list = peers(2)
            list[1].since = 0         -- long established
            list[2].since = 1000 - age
            local r, n, hits = 0, 1000, 0
            local opts = { peers = list, counter = 0, now = 1000, slow_start = slow_start,
                           random = function() r = (r + 0.6180339887) % 1; return r end }
            for _ = 1, n do
                local p, c = choice.choose(opts)
                opts.counter = c
                if p.id == "2" then hits = hits + 1 end
            end
            return hits / n
        end

        it("is off by default: a new peer gets its full share at once", function()
            assert.near(0.5, share(0, 0), 0.01)
        end)

        it("ramps a new peer's share up over slow_start seconds", function()
            local s0, s25, s75, s100 = share(0, 20), share(5, 20), share(15, 20), share(20, 20)
            assert.near(0, s0, 0.01)
            assert.is_true(s0 < s25 and s25 < s75 and s75 < s100)
            assert.near(0.5, s100, 0.01)
        end)

        it("uses a warming peer when it is the only one left", function()
            local list = peers(1)
            list[1].since = 1000
            local p, _, why = choice.choose({ peers = list, counter = 0, now = 1000, slow_start = 30,
                                              random = function() return 0.99 end })
            assert.equal("1", p.id)
            assert.equal("warming", why)
        end)
    end)
end)

describe("choice.more_tries", function()
    it("allows one more try per other peer, up to the limit", function()
        assert.equal(0, choice.more_tries(1, 2))
        assert.equal(1, choice.more_tries(2, 2))
        assert.equal(2, choice.more_tries(5, 2))
        assert.equal(0, choice.more_tries(0, 2))
    end)
end)
