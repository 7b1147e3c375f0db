package io.biu.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TransportTest {

    @Test
    void detectsNativeEpollOnLinux() {
        Transport transport = Transport.detect();
        assertEquals(Transport.Kind.EPOLL, transport.kind(), transport.describe());
        assertEquals("transport=epoll (native epoll loaded)", transport.describe());
    }

    @Test
    void serverOnTheDetectedTransportAcceptsAndAnswers() throws Exception {
        Transport transport = Transport.detect();
        EventLoopGroup group = transport.newEventLoopGroup(1);
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(transport.serverChannelClass())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind("127.0.0.1", 0).sync().channel();
            int port = ((InetSocketAddress) server.localAddress()).getPort();
            try (Socket socket = new Socket("127.0.0.1", port)) {
                socket.setSoTimeout(5_000);
                OutputStream out = socket.getOutputStream();
                out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                InputStream in = socket.getInputStream();
                byte[] echoed = in.readNBytes(6);
                assertEquals("PING\r\n", new String(echoed, StandardCharsets.US_ASCII));
            }
            server.close().sync();
        } finally {
            assertTrue(group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).await(5_000));
        }
    }
}
