local tracker = require "biu.tracker"
local fx = require "fixtures"

local container, event, addrs = fx.container, fx.event, fx.addrs

local APPS = { { name = "web", tenant = "demo", app = "web", port = 80 },
               { name = "api", tenant = "demo", app = "api", port = 9000 } }

local function api(id, over)
    over = over or {}
    over.app = "api"
    over.labels = over.labels or {}
    return container(id, over)
end

local function started(hashes, last)
    local t = tracker.new(APPS, { behind_grace = 60 })
    assert.is_true((t:snapshot(hashes, last, fx.decode, 0)))
    return t
end

describe("tracker snapshots", function()
    it("publishes every app on the first snapshot, established peers having joined at time 0", function()
        local t = tracker.new(APPS)
        local ok, changed = t:snapshot({ ["demo/web"] = fx.hash(container(1)), ["demo/api"] = fx.hash(api(2)) },
            "12", fx.decode, 500)
        assert.is_true(ok)
        assert.same({ "web", "api" }, changed)
        assert.equal("12-0", t.position)
        assert.same({ "10.120.128.1:8080" }, addrs(t.peers.web))
        assert.same({ "10.120.128.2:9000" }, addrs(t.peers.api))
        assert.equal(0, t.peers.web[1].since)
    end)

    it("refuses a snapshot while the bus has no last sequence, keeping the peers", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        local ok, why = t:snapshot({}, nil, fx.decode, 10)
        assert.is_false(ok)
        assert.matches("last sequence missing", why)
        assert.same({ "10.120.128.1:8080" }, addrs(t.peers.web))
        assert.equal("12-0", t.position)
    end)

    it("refuses a snapshot from a bus behind us until the grace period is over", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        assert.is_false((t:snapshot({ ["demo/web"] = {} }, "5", fx.decode, 100)))
        assert.is_false((t:snapshot({ ["demo/web"] = {} }, "8", fx.decode, 159)))
        assert.same({ "10.120.128.1:8080" }, addrs(t.peers.web))
        local ok, changed = t:snapshot({ ["demo/web"] = fx.hash(container(3)) }, "9", fx.decode, 160)
        assert.is_true(ok)
        assert.same({ "web" }, changed)
        assert.equal("9-0", t.position)
    end)

    it("accepts an empty membership hash once the bus has caught up: the app has no members", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        local ok, changed = t:snapshot({ ["demo/web"] = {} }, "14", fx.decode, 10)
        assert.is_true(ok)
        assert.same({ "web" }, changed)
        assert.same({}, t.peers.web)
    end)

    it("reports no change for an unchanged list and keeps join times across snapshots", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        local ok, changed = t:snapshot({ ["demo/web"] = fx.hash(container(1), container(2)) }, "20", fx.decode, 77)
        assert.is_true(ok)
        assert.same({ "web" }, changed)
        assert.equal(0, t.peers.web[1].since)
        assert.equal(77, t.peers.web[2].since)
        ok, changed = t:snapshot({ ["demo/web"] = fx.hash(container(1), container(2)) }, "21", fx.decode, 90)
        assert.same({}, changed)
    end)

    it("keeps join times of a seeded list (a reloaded worker)", function()
        local t = tracker.new(APPS)
        t:seed("web", { { id = "1", host = "10.120.128.1", port = 8080, addr = "10.120.128.1:8080", since = 42 } })
        local _, changed = t:snapshot({ ["demo/web"] = fx.hash(container(1)) }, "3", fx.decode, 100)
        assert.same({ "api" }, changed)
        assert.equal(42, t.peers.web[1].since)
    end)
end)

describe("tracker events", function()
    it("moves peers of the right app and the position with every event", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        local changed = t:apply({
            event(13, "container.ready", container(2)),
            event(14, "container.ready", api(3)),
            event(15, "node.down", nil),
            event(16, "container.ready", container(9, { tenant = "other" })),
        }, 50)
        assert.same({ "web", "api" }, changed)
        assert.same({ "10.120.128.1:8080", "10.120.128.2:8080" }, addrs(t.peers.web))
        assert.equal(50, t.peers.web[2].since)
        assert.same({ "10.120.128.3:9000" }, addrs(t.peers.api))
        assert.equal("16-0", t.position)
    end)

    it("takes a stopping container out and reports nothing for events that change no peer", function()
        local t = started({ ["demo/web"] = fx.hash(container(1), container(2)) }, "12")
        assert.same({ "web" }, t:apply({ event(13, "container.stopping", container(2)) }, 1))
        assert.same({ "10.120.128.1:8080" }, addrs(t.peers.web))
        assert.same({}, t:apply({ event(14, "container.stopped", container(2, { state = "stopped" })),
                                  event(15, "container.removed", container(2)) }, 2))
    end)

    it("ignores events at or before its position", function()
        local t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
        assert.same({}, t:apply({ event(12, "container.stopping", container(1)) }, 1))
        assert.same({ "10.120.128.1:8080" }, addrs(t.peers.web))
    end)
end)

describe("tracker bus checks", function()
    local t
    before_each(function()
        t = started({ ["demo/web"] = fx.hash(container(1)) }, "12")
    end)

    it("goes on while the bus is at or past our position and nothing unread was trimmed", function()
        assert.is_nil(t:check("12", { ["max-deleted-entry-id"] = "3-0" }))
        assert.is_nil(t:check("30", nil))
    end)

    it("asks for a snapshot when the bus lost its events", function()
        assert.matches("last sequence missing", t:check(nil, nil))
        assert.matches("behind us", t:check("4", nil))
    end)

    it("asks for a snapshot when entries after our position were trimmed", function()
        assert.matches("trimmed", t:check("40", { ["max-deleted-entry-id"] = "20-0" }))
    end)
end)
