package io.biu.redisctl.backup;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Takes a running master's RDB as a replica would, without stopping it: {@code AUTH}, {@code REPLCONF capa eof}
 * (so the master may stream the snapshot without writing it to its own disk), {@code REPLCONF rdb-only 1} (it sends
 * no command stream after the snapshot; older servers refuse it, which is fine), then {@code SYNC}, and copies the
 * snapshot. The master answers {@code $<length>} followed by that many bytes, or, streaming,
 * {@code $EOF:<40-byte mark>} followed by the bytes and the mark again; before either it may send newlines to keep the
 * link alive while it forks. This is what {@code redis-cli --rdb} does.
 */
public final class RdbFetch {

    private static final int MARK = 40;

    private final Duration connectTimeout;
    private final Duration readTimeout;

    /**
     * @param readTimeout how long the master may stay silent (it sends a newline every second while it prepares the
     *                    snapshot, so this is about a dead link, not a big dataset)
     */
    public RdbFetch(Duration connectTimeout, Duration readTimeout) {
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** What was copied: its size and SHA-256 (hex). */
    public record Copied(long bytes, String sha256) {
    }

    /** Copies the RDB of {@code host:port} to {@code out} (which stays open); {@code password} may be null. */
    public Copied copy(String host, int port, String password, OutputStream out) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            socket.setSoTimeout((int) readTimeout.toMillis());
            InputStream in = new BufferedInputStream(socket.getInputStream(), 1 << 16);
            OutputStream cmd = socket.getOutputStream();
            if (password != null) {
                send(cmd, "AUTH", "default", password);
                expectOk(in, "AUTH");
            }
            send(cmd, "REPLCONF", "capa", "eof");
            expectOk(in, "REPLCONF capa eof");
            send(cmd, "REPLCONF", "rdb-only", "1");
            line(in);
            send(cmd, "SYNC");
            return copyBulk(in, out, host + ":" + port);
        }
    }

    private static Copied copyBulk(InputStream in, OutputStream out, String source) throws IOException {
        int b;
        do {
            b = in.read();
        } while (b == '\n');
        if (b == '-') {
            throw new IOException(source + " refused to send its snapshot: " + line(in));
        }
        if (b != '$') {
            throw new IOException(source + " did not answer SYNC with a snapshot (got byte " + b + ")");
        }
        String header = line(in);
        MessageDigest sha = sha256();
        DigestOutputStream digest = new DigestOutputStream(out, sha);
        long bytes;
        if (header.startsWith("EOF:")) {
            byte[] mark = header.substring(4).getBytes(StandardCharsets.US_ASCII);
            if (mark.length != MARK) {
                throw new IOException(source + " sent a snapshot mark of " + mark.length + " bytes, not " + MARK);
            }
            bytes = copyUntil(in, digest, mark, source);
        } else {
            bytes = Long.parseLong(header);
            copyExactly(in, digest, bytes, source);
        }
        digest.flush();
        return new Copied(bytes, HexFormat.of().formatHex(sha.digest()));
    }

    private static void copyExactly(InputStream in, OutputStream out, long length, String source) throws IOException {
        byte[] buffer = new byte[1 << 16];
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException(source + " closed the link " + (length - left) + " bytes into a snapshot of "
                        + length);
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /**
     * Copies until the mark, which is not copied. The last {@value #MARK} bytes read are held back, so a mark split
     * over two reads is found; whatever follows the mark (a server that ignored rdb-only streams commands) is dropped.
     */
    private static long copyUntil(InputStream in, OutputStream out, byte[] mark, String source) throws IOException {
        byte[] buffer = new byte[(1 << 16) + MARK];
        int held = 0;
        long written = 0;
        while (true) {
            int n = in.read(buffer, held, buffer.length - held);
            if (n < 0) {
                throw new EOFException(source + " closed the link " + (written + held) + " bytes into a snapshot");
            }
            held += n;
            int at = indexOf(buffer, held, mark);
            if (at >= 0) {
                out.write(buffer, 0, at);
                return written + at;
            }
            if (held > MARK) {
                int flush = held - MARK;
                out.write(buffer, 0, flush);
                written += flush;
                System.arraycopy(buffer, flush, buffer, 0, MARK);
                held = MARK;
            }
        }
    }

    private static int indexOf(byte[] buffer, int length, byte[] mark) {
        for (int i = 0; i + mark.length <= length; i++) {
            if (buffer[i] == mark[0] && Arrays.equals(buffer, i, i + mark.length, mark, 0, mark.length)) {
                return i;
            }
        }
        return -1;
    }

    private static void send(OutputStream out, String... args) throws IOException {
        ByteArrayOutputStream resp = new ByteArrayOutputStream();
        resp.writeBytes(("*" + args.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
        for (String a : args) {
            byte[] bytes = a.getBytes(StandardCharsets.UTF_8);
            resp.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.US_ASCII));
            resp.writeBytes(bytes);
            resp.writeBytes(new byte[] {'\r', '\n'});
        }
        out.write(resp.toByteArray());
        out.flush();
    }

    private static void expectOk(InputStream in, String what) throws IOException {
        String reply = line(in);
        if (!reply.startsWith("+")) {
            // never the command itself: AUTH's carries the password
            throw new IOException(what + " was refused: " + reply);
        }
    }

    /** One CRLF-terminated line, without it. */
    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != '\n') {
            if (b < 0) {
                throw new EOFException("the link closed mid-reply");
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > 4096) {
                throw new IOException("a reply line longer than 4096 bytes");
            }
        }
        return line.toString(StandardCharsets.UTF_8);
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
