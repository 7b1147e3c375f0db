local stream = require "biu.stream"
local json = require "cjson.safe"

local NULL = {}

local function entry(seq, typ, doc)
    return { seq .. "-0", { "type", typ, "seq", tostring(seq), "json", doc } }
end

describe("stream ids", function()
    it("compares by both parts, numerically", function()
        assert.equal(-1, stream.compare("9-0", "10-0"))
        assert.equal(1, stream.compare("10-1", "10-0"))
        assert.equal(0, stream.compare("275-0", "275-0"))
        assert.equal(1, stream.compare("1700000000000-0", "999-5"))
        assert.equal(0, stream.compare("5", "5-0"))
    end)

    it("rejects malformed ids", function()
        assert.has_error(function() stream.compare("x", "1-0") end)
        assert.is_nil(stream.parse_id("1-x"))
        assert.is_nil(stream.parse_id(nil))
    end)

    it("builds the id of a sequence and the next id", function()
        assert.equal("275-0", stream.id_of(275))
        assert.equal(275, stream.seq_of("275-0"))
        assert.equal("275-1", stream.next_id("275-0"))
    end)
end)

describe("stream.events_of", function()
    local c = { id = 50, app = "web", tenant = "demo", state = "running", ready = true }

    it("turns an XREAD reply into events in order", function()
        local reply = { { "biu:events", {
            entry(275, "container.ready", json.encode({ seq = 275, type = "container.ready", time = "t", container = c })),
            entry(276, "node.down", '{"seq":276,"type":"node.down","node":"node3"}'),
        } } }
        local events = stream.events_of(reply, "biu:events", json.decode, NULL)
        assert.equal(2, #events)
        assert.equal("275-0", events[1].id)
        assert.equal(275, events[1].seq)
        assert.equal("container.ready", events[1].type)
        assert.equal(50, events[1].container.id)
        assert.equal("t", events[1].time)
        assert.equal("node.down", events[2].type)
        assert.is_nil(events[2].container)
        assert.is_nil(events[2].bad)
    end)

    it("reads no events from a timed out XREAD (nil reply) or another stream", function()
        assert.same({}, stream.events_of(NULL, "biu:events", json.decode, NULL))
        assert.same({}, stream.events_of({ { "other", { entry(1, "x", "{}") } } }, "biu:events", json.decode, NULL))
    end)

    it("keeps an entry with unreadable json as a bad event, so the position moves past it", function()
        local events = stream.events_of({ { "biu:events", { entry(7, "container.ready", "{nope") } } },
            "biu:events", json.decode, NULL)
        assert.equal(1, #events)
        assert.equal("7-0", events[1].id)
        assert.truthy(events[1].bad)
    end)

    it("takes the sequence from the id when the field is missing", function()
        local ev = stream.event_of({ "12-0", { "type", "node.up" } }, json.decode)
        assert.equal(12, ev.seq)
        assert.equal("node.up", ev.type)
    end)
end)

describe("stream.gap_after", function()
    it("sees a gap when an entry after our position was deleted", function()
        assert.is_true((stream.gap_after("10-0", { ["max-deleted-entry-id"] = "15-0" })))
    end)

    it("sees no gap while the first entry is at or before our position", function()
        local info = { ["max-deleted-entry-id"] = "0-0", ["first-entry"] = { "3-0", {} },
                       ["last-generated-id"] = "40-0" }
        assert.is_false((stream.gap_after("10-0", info)))
        info["first-entry"] = { "10-0", {} }
        assert.is_false((stream.gap_after("10-0", info)))
    end)

    it("sees a gap when trimming reached past our position (Redis 7.0 leaves max-deleted-entry-id at 0-0)", function()
        local gap, why = stream.gap_after("10-0", { ["max-deleted-entry-id"] = "0-0", ["first-entry"] = { "12-0", {} } })
        assert.is_true(gap)
        assert.equal("first-entry 12-0", why)
    end)

    it("sees a gap in an empty stream that generated ids beyond our position", function()
        local info = { ["max-deleted-entry-id"] = "0-0", ["first-entry"] = NULL, ["last-generated-id"] = "11-0" }
        assert.is_true((stream.gap_after("10-0", info)))
        info["last-generated-id"] = "10-0"
        assert.is_false((stream.gap_after("10-0", info)))
    end)
end)
