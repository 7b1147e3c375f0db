local config = require "biu.config"

local function app(over)
    local a = { name = "web", tenant = "demo", app = "web", port = 80 }
    for k, v in pairs(over or {}) do a[k] = v end
    return a
end

describe("config.setup", function()
    it("fills in defaults and derives the bus keys from the prefix", function()
        local s = config.setup({ bus = { port = 26390, prefix = "t1" }, apps = { app() } })
        assert.equal("127.0.0.1", s.bus.host)
        assert.equal(26390, s.bus.port)
        assert.equal("t1:events", s.stream_key)
        assert.equal("t1:events:last", s.last_key)
        assert.equal("t1:members:", s.members_prefix)
        assert.equal(10, s.fail_timeout)
        assert.equal(1, s.max_fails)
        assert.equal(0, s.slow_start)
        assert.equal(1000, s.block_ms)
        assert.equal(s, config.get())
    end)

    it("treats empty strings from a rendered template as unset", function()
        local s = config.setup({ bus = { host = "", prefix = "", password = "", password_file = "" }, apps = { app() } })
        assert.equal("127.0.0.1", s.bus.host)
        assert.equal("biu", s.bus.prefix)
        assert.is_nil(s.bus.password)
    end)

    it("names an app after the scheduler's app when it has no name", function()
        local s = config.setup({ apps = { { tenant = "demo", app = "api" } } })
        assert.same({ name = "api", tenant = "demo", app = "api", port = 80 }, s.by_name.api)
    end)

    it("rejects bad settings with a message naming them", function()
        assert.has_error(function() config.setup({ apps = {} }) end, "biu.config: apps must list at least one app to follow")
        assert.has_error(function() config.setup({ apps = { { app = "web" } } }) end, "biu.config: apps[1] needs tenant and app")
        assert.has_error(function() config.setup({ apps = { app(), app() } }) end, "biu.config: apps[2]: name web is used twice")
        assert.has_error(function() config.setup({ apps = { app({ port = "x" }) } }) end, "biu.config: apps[1].port must be a number")
        assert.has_error(function() config.setup({ apps = { app() }, max_fails = 0 }) end)
        assert.has_error(function() config.setup({ apps = { app({ name = "a b" }) } }) end)
    end)
end)
