package io.biu.proxy.server;

import io.biu.proxy.resp.RespScanner;
import io.biu.proxy.resp.RespValue;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A client of the proxy on a socket, plain unless given a TLS one, which gives up on a reply after 8 s. */
final class SocketClient implements AutoCloseable {
    private final Socket socket;
    private final ByteBuf in = Unpooled.buffer();

    SocketClient(int port) throws IOException {
        this(connect(port));
    }

    /** A client on {@code socket}, connected (with TLS, say). */
    SocketClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(8000);
    }

    /** A plain socket connected to the proxy on {@code port}. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
        return socket;
    }

    void send(String... commands) throws IOException {
        socket.getOutputStream().write(String.join("", commands).getBytes(StandardCharsets.UTF_8));
        socket.getOutputStream().flush();
    }

    /** The next reply: a bulk string as {@code $text} ({@code $null} for none), anything else as read. */
    Object reply() throws IOException {
        RespValue value = read();
        return value instanceof RespValue.Bulk b ? "$" + (b.bytes() == null ? null : b.text()) : value;
    }

    private RespValue read() throws IOException {
        InputStream input = socket.getInputStream();
        byte[] chunk = new byte[4096];
        int end;
        while ((end = RespScanner.end(in, in.readerIndex(), in.writerIndex())) < 0) {
            int n = input.read(chunk);
            if (n < 0) {
                throw new IOException("the proxy closed the connection");
            }
            in.writeBytes(chunk, 0, n);
        }
        RespValue value = RespValue.decode(in);
        in.readerIndex(end);
        in.discardReadBytes();
        return value;
    }

    @Override
    public void close() throws IOException {
        in.release();
        socket.close();
    }
}
