package io.biu.proxy.resp;

/** Bytes that are not RESP, or RESP beyond the proxy's limits: the connection that sent them is closed. */
public final class RespProtocolException extends RuntimeException {

    public RespProtocolException(String message) {
        super(message, null, false, false);
    }
}
