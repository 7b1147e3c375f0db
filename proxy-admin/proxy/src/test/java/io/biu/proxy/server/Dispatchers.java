package io.biu.proxy.server;

import io.biu.proxy.cluster.Members;
import io.biu.proxy.cluster.Refresher;
import io.biu.proxy.cluster.SlotTable;
import io.netty.channel.Channel;

/**
 * Dispatchers for sessions on embedded channels: an empty slot table, the configured members, and a refresher that
 * reads the table only when asked (from the configured seeds).
 */
final class Dispatchers {

    private Dispatchers() {
    }

    static Dispatcher of(ProxyConfig config, Stats stats, Class<? extends Channel> channelClass) {
        SlotTable table = new SlotTable();
        Members members = new Members(config.members());
        return new Dispatcher(table, members, new Refresher(table, members, config.seeds(), config.backendPassword(),
                config.connectTimeout()), config, stats, channelClass);
    }
}
