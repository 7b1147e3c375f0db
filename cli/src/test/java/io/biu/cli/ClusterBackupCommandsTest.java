package io.biu.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.biu.redisctl.client.BackupFile;
import io.biu.redisctl.client.BackupState;
import io.biu.redisctl.client.BackupView;
import io.biu.redisctl.client.ClusterState;
import io.biu.redisctl.client.TaskKind;
import io.biu.redisctl.client.TaskState;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code biu cluster backup|backups|restore|import} against stubbed services. */
class ClusterBackupCommandsTest {

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();
    private final Map<String, String> env = new HashMap<>(Map.of("BIU_TOKEN", "t"));

    private int run(String... args) {
        env.putIfAbsent("BIU_DATA_DIR", dir.toString());
        Environment environment = new Environment(env, dir.resolve("home"), false, Duration.ofMillis(5));
        return BiuCommand.run(args, new PrintWriter(out, true), new PrintWriter(err, true), environment);
    }

    private static BackupView backup(BackupState state, Long task) {
        return new BackupView(7, 1, "shop", state, Replies.AT, state == BackupState.DONE ? Replies.AT : null, 2048,
                1500, List.of(new BackupFile("a.rdb", "a", "10.0.0.1:6379", List.of("0-16383"), 2048, "ab", 1500L)),
                task, null);
    }

    @Test
    void anImportNamesExactlyOneSourceBeforeAnyServiceIsCalled() {
        assertEquals(2, run("cluster", "import", "shop"));
        assertEquals(2, run("cluster", "import", "shop", "--rdb", "dump.rdb", "--source", "10.0.0.5:6379"));
        assertEquals(2, run("cluster", "import", "shop", "--rdb", "dump.rdb", "--source-password-file", "pw"));
        assertEquals(2, run("cluster", "restore", "shop"));
    }

    @Test
    void aBackupIsFollowedToItsEndAndSummed() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, Replies.json(List.of(Replies.cluster(1, "shop",
                    ClusterState.READY))))
                    .on("GET /clusters/1", 200, Replies.json(Replies.cluster(1, "shop", ClusterState.READY)))
                    .on("POST /clusters/1/backups", 202, Replies.json(backup(BackupState.RUNNING, 9L)))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.BACKUP, TaskState.RUNNING,
                            "snapshot", 0, "1 of 3 masters' snapshots taken", null)))
                    .on("GET /tasks/9", 200, Replies.json(Replies.task(9, TaskKind.BACKUP, TaskState.DONE, null, 3,
                            "backup 7 is complete", null)))
                    .on("GET /backups/7", 200, Replies.json(backup(BackupState.DONE, 9L)));

            assertEquals(0, run("cluster", "backup", "shop"), err.toString());

            assertTrue(out.toString().contains("backup 7 of cluster shop taken"), out.toString());
        }
    }

    @Test
    void anOnlineImportSendsThePasswordFromItsFileAndNeverPrintsIt() throws IOException {
        Path password = dir.resolve("pw");
        Files.writeString(password, "hunter2\n");
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /clusters", 200, Replies.json(List.of(Replies.cluster(1, "shop",
                    ClusterState.READY))))
                    .on("GET /clusters/1", 200, Replies.json(Replies.cluster(1, "shop", ClusterState.READY)))
                    .on("POST /clusters/1/import", 202, Replies.json(Replies.task(4, TaskKind.IMPORT,
                            TaskState.PENDING, "check-source", 0, "", null)))
                    .on("GET /tasks/4", 200, Replies.json(Replies.task(4, TaskKind.IMPORT, TaskState.DONE, null, 3,
                            "10 keys and 2 writes imported", null)));

            assertEquals(0, run("cluster", "import", "shop", "--source", "10.0.0.5:6379", "--source-password-file",
                    password.toString()), err.toString());

            assertTrue(stub.body("POST /clusters/1/import").contains("\"sourcePassword\":\"hunter2\""),
                    stub.body("POST /clusters/1/import"));
            assertFalse(out.toString().contains("hunter2") || err.toString().contains("hunter2"));
        }
    }

    @Test
    void aRestoreIntoANewClusterThatFailsDeletesThatCluster() throws IOException {
        try (StubServices stub = new StubServices()) {
            stub.dataDir(dir).on("GET /backups/7", 200, Replies.json(backup(BackupState.DONE, 9L)))
                    .on("GET /clusters", 200, "[]")
                    .on("GET /clusters", 200, Replies.json(List.of(Replies.cluster(2, "copy", ClusterState.READY))))
                    .on("POST /clusters", 202, Replies.json(new io.biu.redisctl.client.Created(2, 5, "pw",
                            Replies.cluster(2, "copy", ClusterState.CREATING))))
                    .on("GET /tasks/5", 200, Replies.json(Replies.task(5, TaskKind.FORM, TaskState.DONE, null, 6, "",
                            null)))
                    .on("POST /clusters/2/restore", 202, Replies.json(Replies.task(6, TaskKind.RESTORE,
                            TaskState.PENDING, "verify", 0, "", null)))
                    .on("GET /tasks/6", 200, Replies.json(Replies.task(6, TaskKind.RESTORE, TaskState.FAILED, "verify",
                            0, "", "backup file a.rdb is damaged")))
                    .on("DELETE /clusters/2", 202, Replies.json(Replies.task(8, TaskKind.DELETE, TaskState.PENDING,
                            "remove-containers", 0, "", null)));

            assertEquals(1, run("cluster", "restore", "copy", "--from", "7", "--masters", "2"));

            assertTrue(stub.body("POST /clusters").contains("\"masters\":2"), stub.body("POST /clusters"));
            assertTrue(stub.requests.contains("DELETE /clusters/2"), stub.requests.toString());
            assertTrue(err.toString().contains("damaged"), err.toString());
        }
    }
}
