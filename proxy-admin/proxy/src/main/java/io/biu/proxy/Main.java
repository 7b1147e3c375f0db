package io.biu.proxy;

/**
 * Entry point of the proxy image. The RESP proxy itself is not part of this build yet; what
 * exists is the transport check that the image's start-up relies on:
 * {@code java -jar biu-proxy.jar --check-transport} prints the transport that would run and
 * exits 0 for epoll, 1 for the NIO fallback.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        if (args.length == 1 && args[0].equals("--check-transport")) {
            Transport transport = Transport.detect();
            System.out.println(transport.describe());
            System.exit(transport.kind() == Transport.Kind.EPOLL ? 0 : 1);
        }
        System.err.println("usage: java -jar biu-proxy.jar --check-transport");
        System.exit(2);
    }
}
