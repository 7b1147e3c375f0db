package io.biu.scheduler.engine;

import com.github.dockerjava.transport.SSLConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyManagementException;
import java.security.KeyStoreException;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.UnrecoverableKeyException;
import java.time.Duration;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * TLS settings whose handshake gives up after a deadline. docker-java's HTTP client opens its sockets with no read
 * timeout and gives Apache's client no handshake timeout, and its connect and response timeouts cover neither: a
 * stopped dockerd (SIGSTOP) accepts the TCP connection, the kernel does that, and the handshake then waits forever.
 * Every TLS socket made through these settings reads with the deadline until the HTTP client sets the request's own
 * response timeout, which it does once the handshake is done.
 */
final class HandshakeDeadline implements SSLConfig {

    private final SSLConfig tls;
    private final int millis;

    private HandshakeDeadline(SSLConfig tls, Duration deadline) {
        this.tls = tls;
        this.millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, deadline.toMillis()));
    }

    /** {@code tls} with handshakes bounded by {@code deadline}; null (no TLS) stays null. */
    static SSLConfig of(SSLConfig tls, Duration deadline) {
        return tls == null ? null : new HandshakeDeadline(tls, deadline);
    }

    @Override
    public SSLContext getSSLContext() throws KeyManagementException, UnrecoverableKeyException,
            NoSuchAlgorithmException, KeyStoreException {
        SSLContext context = tls.getSSLContext();
        return new SSLContext(new Spi(context, millis), context.getProvider(), context.getProtocol()) {
        };
    }

    /** The context as it is, but for sockets that read with the deadline. */
    private static final class Spi extends SSLContextSpi {
        private final SSLContext context;
        private final int millis;

        Spi(SSLContext context, int millis) {
            this.context = context;
            this.millis = millis;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random)
                throws KeyManagementException {
            context.init(km, tm, random);
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return new Sockets(context.getSocketFactory(), millis);
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return context.getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return context.createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return context.createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return context.getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return context.getClientSessionContext();
        }
    }

    /** Sockets of {@code factory}, each reading with the deadline unless it already reads with a shorter one. */
    private static final class Sockets extends SSLSocketFactory {
        private final SSLSocketFactory factory;
        private final int millis;

        Sockets(SSLSocketFactory factory, int millis) {
            this.factory = factory;
            this.millis = millis;
        }

        private Socket bounded(Socket socket) throws IOException {
            int current = socket.getSoTimeout();
            if (current == 0 || current > millis) {
                socket.setSoTimeout(millis);
            }
            return socket;
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return factory.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return factory.getSupportedCipherSuites();
        }

        @Override
        public Socket createSocket() throws IOException {
            return bounded(factory.createSocket());
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return bounded(factory.createSocket(s, host, port, autoClose));
        }

        @Override
        public Socket createSocket(Socket s, InputStream consumed, boolean autoClose) throws IOException {
            return bounded(factory.createSocket(s, consumed, autoClose));
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return bounded(factory.createSocket(host, port));
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return bounded(factory.createSocket(host, port, localHost, localPort));
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return bounded(factory.createSocket(host, port));
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return bounded(factory.createSocket(address, port, localAddress, localPort));
        }
    }
}
