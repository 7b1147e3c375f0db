package io.biu.kit.error;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

class ServiceExceptionTest {

    @Test
    void carriesItsCodeKindAndCause() {
        IllegalStateException cause = new IllegalStateException("refused");
        ServiceException e = new ServiceException(TestCode.ENGINE_FAILED, "node1 did not answer", cause);
        assertEquals(TestCode.ENGINE_FAILED, e.code());
        assertEquals(ErrorKind.UNAVAILABLE, e.kind());
        assertSame(cause, e.getCause());
    }

    @Test
    void eachKindHasTheStatusCallersExpect() {
        assertEquals(400, ErrorKind.INVALID.status());
        assertEquals(401, ErrorKind.UNAUTHENTICATED.status());
        assertEquals(403, ErrorKind.FORBIDDEN.status());
        assertEquals(404, ErrorKind.NOT_FOUND.status());
        assertEquals(409, ErrorKind.CONFLICT.status());
        assertEquals(422, ErrorKind.NO_CAPACITY.status());
        assertEquals(502, ErrorKind.UNAVAILABLE.status());
    }

    @Test
    void formattedMessagesQuoteTextArgumentsBriefly() {
        String bulk = "x".repeat(100_000);
        String message = ServiceException.format("name '%s' is not valid; %d tries", bulk, 3);
        assertEquals("name '" + "x".repeat(42) + "... (100000 characters)' is not valid; 3 tries", message);
        assertEquals("pod 'web' is full", ServiceException.format("pod '%s' is full", "web"));
    }
}
