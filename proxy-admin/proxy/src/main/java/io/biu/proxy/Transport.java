package io.biu.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Objects;

/**
 * The I/O transport the proxy runs on: Linux's native epoll where Netty can load it, NIO
 * otherwise, together with the reason, so that start-up can say which one runs and why.
 *
 * <p>Epoll needs Netty's native library, which Netty unpacks into {@code java.io.tmpdir}; in a
 * container without a writable {@code /tmp} it silently falls back to NIO, which is why the
 * choice is reported rather than assumed.
 */
public record Transport(Kind kind, String reason) {

    /** The transports the proxy knows. */
    public enum Kind { EPOLL, NIO }

    public Transport {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    /** Epoll if this JVM can load it, else NIO with the cause of epoll's absence. */
    public static Transport detect() {
        if (Epoll.isAvailable()) {
            return new Transport(Kind.EPOLL, "native epoll loaded");
        }
        Throwable cause = Epoll.unavailabilityCause();
        return new Transport(Kind.NIO, "epoll unavailable: " + (cause == null ? "unknown" : cause));
    }

    /** An event loop group of this transport with the given number of threads. */
    public EventLoopGroup newEventLoopGroup(int threads) {
        return new MultiThreadIoEventLoopGroup(threads, ioHandlerFactory());
    }

    /** The server channel class matching {@link #newEventLoopGroup(int)}. */
    public Class<? extends ServerChannel> serverChannelClass() {
        return kind == Kind.EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** The client socket channel class matching {@link #newEventLoopGroup(int)}. */
    public Class<? extends Channel> socketChannelClass() {
        return kind == Kind.EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    private IoHandlerFactory ioHandlerFactory() {
        return kind == Kind.EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** One line for logs and start-up banners, e.g. {@code transport=epoll (native epoll loaded)}. */
    public String describe() {
        return "transport=" + kind.name().toLowerCase(java.util.Locale.ROOT) + " (" + reason + ")";
    }
}
