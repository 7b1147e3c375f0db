package io.biu.cli.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CredentialsTest {

    @TempDir
    Path dir;

    private Path config(String text) throws IOException {
        return Files.writeString(dir.resolve("config"), text);
    }

    private Path operatorToken() throws IOException {
        return Files.writeString(dir.resolve("operator.token"), "op-secret\n");
    }

    @Test
    void theOptionComesFirstThenTheEnvironmentThenTheFileThenTheOperatorToken() throws IOException {
        Path config = config("token=file-secret\ntenant=shop\n");
        Path op = operatorToken();
        assertEquals(new Credentials("opt", "--token", "shop"),
                Credentials.resolve("opt", null, Map.of("BIU_TOKEN", "env"), config, op));
        assertEquals("env", Credentials.resolve(null, null, Map.of("BIU_TOKEN", "env"), config, op).token());
        assertEquals("file-secret", Credentials.resolve(null, null, Map.of(), config, op).token());
        Credentials bootstrap = Credentials.resolve(null, null, Map.of(), dir.resolve("none"), op);
        assertEquals("op-secret", bootstrap.token());
        assertEquals(op.toString(), bootstrap.source());
        assertNull(bootstrap.tenant());
    }

    @Test
    void theTenantOptionBeatsTheEnvironmentWhichBeatsTheFile() throws IOException {
        Path config = config("tenant=from-file\n");
        Path op = operatorToken();
        assertEquals("opt", Credentials.resolve(null, "opt", Map.of("BIU_TENANT", "env"), config, op).tenant());
        assertEquals("env", Credentials.resolve(null, null, Map.of("BIU_TENANT", "env"), config, op).tenant());
        assertEquals("from-file", Credentials.resolve(null, null, Map.of(), config, op).tenant());
    }

    @Test
    void noTokenAnywhereIsUnauthorizedAndSaysWhereToPutOne() {
        CliException e = assertThrows(CliException.class, () -> Credentials.resolve(null, null,
                Map.of("BIU_TOKEN", " "), dir.resolve("config"), dir.resolve("operator.token")));
        assertEquals(Failure.UNAUTHORIZED, e.failure());
        assertTrue(e.hint().contains("--token") && e.hint().contains("BIU_TOKEN"), e.hint());
    }

    @Test
    void theConfigFileIsNamedByTheEnvironmentOrLivesInTheConfigHome() {
        Path home = Path.of("/home/u");
        assertEquals(Path.of("/etc/biu.conf"), Credentials.configFile(Map.of("BIU_CONFIG", "/etc/biu.conf"), home));
        assertEquals(Path.of("/xdg/biu/config"), Credentials.configFile(Map.of("XDG_CONFIG_HOME", "/xdg"), home));
        assertEquals(Path.of("/home/u/.config/biu/config"), Credentials.configFile(Map.of(), home));
    }
}
