local peers = require "biu.peers"
local fx = require "fixtures"

local container, event, addrs = fx.container, fx.event, fx.addrs

describe("peers from members", function()
    it("lists running, ready members ordered by container id", function()
        local members = peers.from_hash(fx.hash(container(10), container(9), container(2)), fx.decode)
        assert.same({ "10.120.128.2:8080", "10.120.128.9:8080", "10.120.128.10:8080" },
            addrs(peers.list(members, 80)))
    end)

    it("leaves out members that are not running, not ready or stopping", function()
        local members = peers.from_hash(fx.hash(
            container(1),
            container(2, { ready = false }),
            container(3, { state = "died" }),
            container(4, { state = "stopping" })), fx.decode)
        assert.same({ "10.120.128.1:8080" }, addrs(peers.list(members, 80)))
    end)

    it("uses the app's port without the http-port label", function()
        local members = peers.from_hash(fx.hash(container(1, { labels = {} })), fx.decode)
        assert.same({ "10.120.128.1:80" }, addrs(peers.list(members, 80)))
    end)

    it("reaches a host-network container at its node address and first host port", function()
        local json = '{"id":7,"app":"web","tenant":"demo","state":"running","ready":true,"address":null,'
            .. '"ports":[31002,31003],"nodeAddress":"10.88.0.12","labels":{}}'
        local members = peers.from_hash({ ["7"] = json }, fx.decode)
        local list = peers.list(members, 80)
        assert.same({ id = "7", host = "10.88.0.12", port = 31002, addr = "10.88.0.12:31002" }, list[1])
    end)

    it("skips a member without any address and reports undecodable ones", function()
        local members, bad = peers.from_hash({ ["1"] = '{"id":1,"state":"running","ready":true}', ["2"] = "{" },
            fx.decode)
        assert.same({}, peers.list(members, 80))
        assert.same({ "2" }, bad)
        local _, why = peers.peer_of(members["1"], 80)
        assert.equal("no address", why)
    end)
end)

describe("peers from events", function()
    local members
    before_each(function()
        members = {}
    end)

    it("a container joins when it is ready, not when it has only started", function()
        peers.apply(members, event(1, "container.started", container(1, { ready = false })))
        assert.same({}, peers.list(members, 80))
        peers.apply(members, event(2, "container.ready", container(1)))
        assert.same({ "10.120.128.1:8080" }, addrs(peers.list(members, 80)))
    end)

    it("a container leaves on container.stopping, whatever its state says", function()
        peers.apply(members, event(1, "container.ready", container(1)))
        peers.apply(members, event(2, "container.stopping", container(1)))
        assert.same({}, peers.list(members, 80))
    end)

    it("a stopping container stays out even if a later event says it is ready", function()
        peers.apply(members, event(1, "container.stopping", container(1)))
        peers.apply(members, event(2, "container.ready", container(1)))
        assert.same({}, peers.list(members, 80))
    end)

    it("died, lost and stopped containers leave; removed ones are forgotten", function()
        for i, typ in ipairs({ "container.died", "container.lost", "container.stopped" }) do
            peers.apply(members, event(i, "container.ready", container(i)))
            peers.apply(members, event(10 + i, typ, container(i, { state = typ:sub(11) })))
        end
        assert.same({}, peers.list(members, 80))
        assert.truthy(members["1"])
        assert.is_true(peers.apply(members, event(20, "container.removed", container(1))))
        assert.is_nil(members["1"])
    end)

    it("ignores node events and events without a container", function()
        assert.is_false(peers.apply(members, { type = "node.down" }))
        assert.is_false(peers.apply(members, event(1, "node.cordoned", container(1))))
        assert.same({}, members)
    end)
end)

describe("peers.diff and peers.same", function()
    local function p(id)
        return { id = tostring(id), addr = "10.0.0." .. id .. ":80" }
    end

    it("finds added and removed peers in list order", function()
        local added, removed = peers.diff({ p(1), p(2), p(3) }, { p(2), p(4), p(5) })
        assert.same({ "10.0.0.4:80", "10.0.0.5:80" }, addrs(added))
        assert.same({ "10.0.0.1:80", "10.0.0.3:80" }, addrs(removed))
    end)

    it("sees no difference between equal lists", function()
        local added, removed = peers.diff({ p(1) }, { p(1) })
        assert.same({}, added)
        assert.same({}, removed)
        assert.is_true(peers.same({ p(1), p(2) }, { p(1), p(2) }))
        assert.is_false(peers.same({ p(1), p(2) }, { p(1) }))
        assert.is_false(peers.same({ p(1) }, { p(3) }))
    end)
end)
