package io.biu.proxy.resp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RequestTest {

    private static Request request(String... args) {
        StringBuilder sb = new StringBuilder("*").append(args.length).append("\r\n");
        for (String a : args) {
            sb.append('$').append(a.length()).append("\r\n").append(a).append("\r\n");
        }
        ByteBuf in = Unpooled.copiedBuffer(sb, StandardCharsets.ISO_8859_1);
        Request r = new RequestParser(1 << 20, 16).next(in);
        in.release();
        return r;
    }

    @Test
    void theHashOfAnArgumentIgnoresAsciiCaseOnly() {
        Request r = request("gEt", "GET", "get", "g{t", "G[T");
        try {
            int hash = Request.hashIgnoringCase("GET");
            assertEquals(hash, r.argHashIgnoringCase(0));
            assertEquals(hash, r.argHashIgnoringCase(1));
            assertEquals(hash, r.argHashIgnoringCase(2));
            // '{' and '[' are 32 apart too, but they are not letters
            assertNotEquals(Request.hashIgnoringCase("G[T"), r.argHashIgnoringCase(3));
            assertEquals(Request.hashIgnoringCase("G[T"), r.argHashIgnoringCase(4));
        } finally {
            r.release();
        }
    }
}
