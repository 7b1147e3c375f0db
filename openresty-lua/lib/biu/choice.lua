-- Which peer the balancer tries next, free of nginx.
--
-- Round robin over the app's peers, starting after the last pick of this worker, that skips
-- (1) peers this request already tried, (2) peers marked failed (until a time), and
-- (3) with slow start on, a warming peer with the probability of the share it has not reached yet:
-- a peer that joined `slow_start` seconds ago or more gets a full share, one that joined t seconds
-- ago gets t / slow_start of it. Fallbacks keep traffic flowing: when only warming peers are left
-- one of them is used; when every untried peer is marked failed, they are tried anyway (a wrong
-- mark costs one failed try, an empty answer costs the request). Only when every peer has been
-- tried by this request is there no choice.
local M = {}

local function untried(peers, tried, start, n)
    for k = 0, n - 1 do
        local i = (start + k) % n + 1
        if not tried[peers[i].addr] then
            return i
        end
    end
    return nil
end

--- Chooses a peer. opts:
---   peers        list of { addr, since? } (since: when the peer joined, seconds)
---   counter      this worker's round-robin position for the app (0 at first)
---   now          current time, seconds
---   failed_until function(peer) -> time until which the peer is marked failed, or nil
---   tried        set of addr already tried by this request (optional)
---   slow_start   seconds over which a new peer ramps up; 0 or nil: off
---   random       function() -> number in [0, 1) (needed when slow_start is on)
--- Returns the peer, the new counter and why it was chosen ("healthy", "warming", "all-failed"),
--- or nil and a reason ("no peers", "all peers tried").
function M.choose(opts)
    local peers, n = opts.peers, #opts.peers
    if n == 0 then
        return nil, "no peers"
    end
    local tried = opts.tried or {}
    local now, slow_start = opts.now, opts.slow_start or 0
    local failed_until = opts.failed_until or function() return nil end
    local start = opts.counter % n
    local warming
    for k = 0, n - 1 do
        local i = (start + k) % n + 1
        local p = peers[i]
        if not tried[p.addr] then
            local until_t = failed_until(p)
            if not until_t or until_t <= now then
                local age = p.since and now - p.since
                if slow_start <= 0 or not age or age >= slow_start or opts.random() < age / slow_start then
                    return p, i, "healthy"
                end
                warming = warming or i
            end
        end
    end
    if warming then
        return peers[warming], warming, "warming"
    end
    local i = untried(peers, tried, start, n)
    if i then
        return peers[i], i, "all-failed"
    end
    return nil, "all peers tried"
end

--- How many more tries a request may make after its first: one per other peer, at most `limit`.
function M.more_tries(peer_count, limit)
    local more = peer_count - 1
    if more > limit then
        more = limit
    end
    return more > 0 and more or 0
end

return M
