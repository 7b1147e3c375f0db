package io.biu.proxy.server;

import io.biu.proxy.resp.Resp;
import io.biu.proxy.resp.RespScanner;
import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** How the replies of a command's parts become one reply. Any part's error is the reply. */
final class Merges {

    private Merges() {
    }

    private static ByteBuf firstError(ByteBuf[] parts) {
        for (ByteBuf p : parts) {
            if (p.getByte(p.readerIndex()) == '-') {
                return p.retainedDuplicate();
            }
        }
        return null;
    }

    /** Every part said OK: OK. */
    static final Pending.Merge ALL_OK = (client, parts) -> {
        ByteBuf error = firstError(parts);
        return error != null ? error : Resp.OK.duplicate();
    };

    /** Integers, summed (DEL, EXISTS, DBSIZE...). */
    static final Pending.Merge SUM = (client, parts) -> {
        ByteBuf error = firstError(parts);
        if (error != null) {
            return error;
        }
        long sum = 0;
        for (ByteBuf p : parts) {
            int r = p.readerIndex();
            sum += RespScanner.parseLong(p, r + 1, RespScanner.lineEnd(p, r + 1, p.writerIndex()));
        }
        return Resp.integer(client.alloc(), sum);
    };

    /** Arrays, concatenated (KEYS). */
    static final Pending.Merge CONCAT = (client, parts) -> {
        ByteBuf error = firstError(parts);
        if (error != null) {
            return error;
        }
        long count = 0;
        int bytes = 16;
        for (ByteBuf p : parts) {
            int r = p.readerIndex();
            int cr = RespScanner.lineEnd(p, r + 1, p.writerIndex());
            count += Math.max(0, RespScanner.parseLong(p, r + 1, cr));
            bytes += p.writerIndex() - cr - 2;
        }
        ByteBuf out = client.alloc().buffer(bytes);
        Resp.writeArrayHeader(out, count);
        for (ByteBuf p : parts) {
            int cr = RespScanner.lineEnd(p, p.readerIndex() + 1, p.writerIndex());
            out.writeBytes(p, cr + 2, p.writerIndex() - cr - 2);
        }
        return out;
    };

    /** The first reply that is not an error, else the first error (SCRIPT LOAD on every master). */
    static final Pending.Merge FIRST = (client, parts) -> {
        for (ByteBuf p : parts) {
            if (p.getByte(p.readerIndex()) != '-') {
                return p.retainedDuplicate();
            }
        }
        return parts[0].retainedDuplicate();
    };

    /**
     * MGET over several slots: part {@code i} asked for the keys at {@code positions[i]} of the client's
     * command, and its array's elements go back to those places.
     */
    static Pending.Merge mget(int keys, int[][] positions) {
        return (client, parts) -> {
            ByteBuf error = firstError(parts);
            if (error != null) {
                return error;
            }
            int[] starts = new int[keys];
            int[] ends = new int[keys];
            ByteBuf[] from = new ByteBuf[keys];
            int bytes = 16;
            for (int i = 0; i < parts.length; i++) {
                ByteBuf p = parts[i];
                int cr = RespScanner.lineEnd(p, p.readerIndex() + 1, p.writerIndex());
                int at = cr + 2;
                for (int k = 0; k < positions[i].length; k++) {
                    int end = RespScanner.end(p, at, p.writerIndex());
                    int pos = positions[i][k];
                    from[pos] = p;
                    starts[pos] = at;
                    ends[pos] = end;
                    bytes += end - at;
                    at = end;
                }
            }
            ByteBuf out = client.alloc().buffer(bytes);
            Resp.writeArrayHeader(out, keys);
            for (int k = 0; k < keys; k++) {
                out.writeBytes(from[k], starts[k], ends[k] - starts[k]);
            }
            return out;
        };
    }

    /**
     * SCAN of one master: its cursor replaced by the proxy's, which also names the master ({@code master} of
     * {@code masters}); a master scanned to the end hands over to the next one.
     */
    static Pending.Merge scan(int master, int masters) {
        return (client, parts) -> {
            ByteBuf p = parts[0];
            if (p.getByte(p.readerIndex()) != '*') {
                return p.retainedDuplicate();
            }
            int cr = RespScanner.lineEnd(p, p.readerIndex() + 1, p.writerIndex());
            int bulk = cr + 2;
            int bulkCr = RespScanner.lineEnd(p, bulk + 1, p.writerIndex());
            int length = (int) RespScanner.parseLong(p, bulk + 1, bulkCr);
            long backend = Long.parseUnsignedLong(p.toString(bulkCr + 2, length, StandardCharsets.US_ASCII));
            long cursor;
            if (backend != 0) {
                cursor = backend * CommandRouter.SCAN_MASTERS + master;
            } else {
                cursor = master + 1 < masters ? master + 1 : 0;
            }
            int rest = bulkCr + 2 + length + 2;
            ByteBuf out = client.alloc().buffer(32 + p.writerIndex() - rest);
            Resp.writeArrayHeader(out, 2);
            Resp.writeBulk(out, Long.toUnsignedString(cursor).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(p, rest, p.writerIndex() - rest);
            return out;
        };
    }
}
