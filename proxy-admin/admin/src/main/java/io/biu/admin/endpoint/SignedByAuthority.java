package io.biu.admin.endpoint;

import io.netty.handler.ssl.util.TrustManagerFactoryWrapper;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The trust of proxy-admin's link to its TLS proxies: a proxy's certificate must be signed by proxy-admin's
 * authority, whatever its dates. A proxy starts with the certificate it was deployed with, which nothing renews: one
 * that restarts after that certificate's end must still be reachable to be given a new one. The link is
 * authenticated by its challenge and response; TLS keeps what crosses it from the tenants' network.
 */
final class SignedByAuthority extends X509ExtendedTrustManager {

    private final X509Certificate authority;

    private SignedByAuthority(X509Certificate authority) {
        this.authority = authority;
    }

    static TrustManagerFactory factory(X509Certificate authority) {
        return new TrustManagerFactoryWrapper(new SignedByAuthority(authority));
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw new CertificateException("the proxy presented no certificate");
        }
        try {
            chain[0].verify(authority.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("the proxy's certificate (" + chain[0].getSubjectX500Principal()
                    + ") is not signed by proxy-admin's authority");
        }
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkServerTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("proxy-admin's link trusts servers only");
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        checkClientTrusted(chain, authType);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[] {authority};
    }
}
