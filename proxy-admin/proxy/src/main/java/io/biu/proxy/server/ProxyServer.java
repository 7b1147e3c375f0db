package io.biu.proxy.server;

import io.biu.proxy.Transport;
import io.biu.proxy.cluster.Members;
import io.biu.proxy.cluster.Refresher;
import io.biu.proxy.cluster.SlotTable;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;

/**
 * The proxy: one listening socket, event loops that each serve their clients with their own connections to
 * the cluster, and the slot table they share. The whole channel pipeline is put together here: TLS first, if the
 * settings name a {@code tls.file}, then the idle timeout, if any, then the client's session.
 */
public final class ProxyServer implements AutoCloseable {

    private final ProxyConfig config;
    private final Transport transport;
    private final SlotTable table = new SlotTable();
    private final Stats stats = new Stats();
    private final Members members;
    private final Refresher refresher;
    private final Dispatcher dispatcher;
    private final Access access;
    private final PreAuth preAuth;
    private final TlsServing tls;
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private Channel server;

    /**
     * A proxy with {@code config}'s settings; an {@link IllegalArgumentException} if the TLS credentials it names
     * cannot be served.
     */
    public ProxyServer(ProxyConfig config, Transport transport) {
        this.config = config;
        this.transport = transport;
        this.tls = TlsServing.of(config);
        this.members = new Members(config.members());
        this.refresher = new Refresher(table, members, config.seeds(), config.backendPassword(),
                config.connectTimeout());
        this.access = new Access(config.passwords(), config.adminPassword());
        this.preAuth = new PreAuth(config.maxUnauthenticatedPerSource());
        this.dispatcher = new Dispatcher(table, members, refresher, config, stats, transport.socketChannelClass());
    }

    /** Reads the slot table, then listens. Returns whether the table could be read (it is retried anyway). */
    public boolean start() throws InterruptedException {
        boolean tableRead = refresher.start(config.refreshInterval());
        int threads = config.threads() > 0 ? config.threads() : Runtime.getRuntime().availableProcessors();
        boss = transport.newEventLoopGroup(1);
        workers = transport.newEventLoopGroup(threads);
        server = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannelClass())
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(
                        (int) Math.min(Integer.MAX_VALUE / 2, config.clientBufferBytes() / 2),
                        (int) Math.min(Integer.MAX_VALUE, config.clientBufferBytes())))
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        if (tls.on()) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        if (!config.idleTimeout().isZero()) {
                            ch.pipeline().addLast(new IdleStateHandler(0, 0, config.idleTimeout().toMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        ch.pipeline().addLast(new ClientSession(dispatcher, config, stats, access, preAuth, tls));
                    }
                })
                .bind(config.port()).sync().channel();
        return tableRead;
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Whether clients connect with TLS, and if so what the certificate served to new connections names. */
    public String tlsDescription() {
        return tls.on() ? "TLS, certificate for " + TlsServing.names(tls.certificate()) + " until "
                + tls.certificate().getNotAfter().toInstant() : "plain TCP";
    }

    /** The cluster's instances, the only addresses the proxy connects to. */
    public Members members() {
        return members;
    }

    public SlotTable table() {
        return table;
    }

    @Override
    public void close() {
        refresher.close();
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (boss != null) {
            boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            workers.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
