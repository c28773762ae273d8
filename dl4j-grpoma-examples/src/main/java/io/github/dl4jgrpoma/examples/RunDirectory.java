package io.github.dl4jgrpoma.examples;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * The output folder of a training command, held for the whole run:
 * <ul>
 *   <li>validated before any work: {@code --out} must be a folder that exists or can be created, and be
 *       writable;</li>
 *   <li>locked ({@link FileChannel#tryLock()} on {@value #LOCK}): a second run into the same folder, in this
 *       process or another, stops with a clear message instead of rewriting the first run's files;</li>
 *   <li>a folder that already holds a run (any of the command's {@code outputs}) is continued only with
 *       {@code --resume} and cleared only with {@code --overwrite} (which deletes exactly those outputs, nothing
 *       else); otherwise the command stops and says so.</li>
 * </ul>
 * Closing releases the lock.
 */
public final class RunDirectory implements AutoCloseable {
    /** The lock file inside the folder. */
    public static final String LOCK = ".grpoma.lock";

    private final Path dir;
    private final boolean resume;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirectory(Path dir, boolean resume, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.resume = resume;
        this.channel = channel;
        this.lock = lock;
    }

    /** Adds {@code --out}, {@code --resume} and {@code --overwrite} to a command's options. */
    public static void addOptions(Options o, String defaultOut, String outputs) {
        o.addOption(Option.builder().longOpt("out").hasArg().argName("DIR")
                .desc("output folder, relative to the current folder: " + outputs + " (default " + defaultOut + ")").build());
        o.addOption(Option.builder().longOpt("resume").desc("continue the run in --out from its newest valid checkpoint, "
                + "with its config.json (flags given override it)").build());
        o.addOption(Option.builder().longOpt("overwrite").desc("delete the run in --out (only the files this command "
                + "writes) and start a new one").build());
    }

    /**
     * Validates and locks {@code --out} (see the class documentation).
     *
     * @param outputs glob patterns of the entries the command writes into the folder (e.g. {@code "*.csv"},
     *                {@code "checkpoints"}); their presence means "a run is here"
     * @throws UsageException naming the option, the value and the fix
     */
    public static RunDirectory open(CommandLine cl, String defaultOut, List<String> outputs) throws UsageException {
        String value = CliSupport.value(cl, "out", defaultOut);
        boolean resume = cl.hasOption("resume");
        boolean overwrite = cl.hasOption("overwrite");
        if (resume && overwrite) {
            throw new UsageException("--resume and --overwrite exclude each other; fix: give one of them");
        }
        if (resume && value != null && !value.isBlank() && !Files.isDirectory(Path.of(value).toAbsolutePath())) {
            throw new UsageException("--out " + value + " holds no run to resume (no such folder); fix: drop --resume to"
                    + " start one, or give the folder of the run to continue");
        }
        Path dir = CliSupport.outputDirectory("out", value);
        FileChannel ch = null;
        FileLock lock;
        try {
            ch = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.READ);
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                String holder = holder(ch);
                ch.close();
                throw new UsageException("--out " + value + " is in use by another run" + holder + "; fix: wait until it"
                        + " ends or choose another --out");
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new UsageException("--out " + value + ": cannot lock " + dir.resolve(LOCK) + " (" + CliSupport.reason(e)
                    + "); fix: choose a folder on a local, writable file system");
        }
        RunDirectory rd = new RunDirectory(dir, resume, ch, lock);
        try {
            List<Path> existing = rd.matching(outputs);
            if (existing.isEmpty() && resume) {
                throw new UsageException("--out " + value + " holds no run to resume; fix: drop --resume to start one, or"
                        + " give the folder of the run to continue");
            }
            if (!existing.isEmpty() && !resume && !overwrite) {
                throw new UsageException("--out " + value + " already holds a run (" + names(existing) + "); fix: add"
                        + " --resume to continue it, --overwrite to start over, or choose another --out");
            }
            if (overwrite) {
                for (Path p : existing) {
                    deleteRecursively(p);
                }
            }
        } catch (UsageException | RuntimeException e) {
            rd.close();
            throw e;
        } catch (IOException e) {
            rd.close();
            throw new UsageException("--out " + value + ": cannot delete the previous run (" + CliSupport.reason(e)
                    + "); fix: delete it by hand or choose another --out");
        }
        return rd;
    }

    /** The folder (absolute). */
    public Path path() {
        return dir;
    }

    /** Whether the run continues the one in the folder. */
    public boolean resume() {
        return resume;
    }

    /**
     * Refuses a resume that changes the SFT warm-up's length once RL has started: the RL checkpoints were trained from
     * the policy of the run's SFT steps (and its reference model is that policy), so more or fewer SFT steps would mix
     * two SFT policies in one run. Passes when the folder has no RL checkpoint past step 0 ({@code checkpoints/rl/step-N})
     * or no {@code config.json}.
     *
     * @param sftSteps the SFT steps of this invocation
     * @throws UsageException naming {@code --sft-steps}, the given and the run's values and the fix
     */
    public void requireSftUnchangedOnceRlStarted(int sftSteps) throws UsageException {
        Path config = dir.resolve("config.json");
        Path rl = dir.resolve("checkpoints").resolve("rl");
        if (!resume || !Files.isRegularFile(config) || !Files.isDirectory(rl)) {
            return;
        }
        boolean started;
        try (Stream<Path> entries = Files.list(rl)) {
            started = entries.map(p -> p.getFileName().toString()).anyMatch(n -> n.matches("step-0*[1-9]\\d*"));
        } catch (IOException e) {
            throw new UsageException("--out " + dir + ": cannot list " + rl + " (" + CliSupport.reason(e) + ")");
        }
        com.fasterxml.jackson.databind.JsonNode saved;
        try {
            saved = io.github.dl4jgrpoma.config.ConfigJson.parse(Files.readString(config, StandardCharsets.UTF_8),
                    config.toString()).get("sftSteps");
        } catch (IOException | IllegalArgumentException e) {
            return;     // the settings' own reading reports an unreadable config.json
        }
        if (started && saved != null && saved.isIntegralNumber() && saved.asInt() != sftSteps) {
            throw new UsageException("--sft-steps " + sftSteps + ": the run's RL has started from the policy of its "
                    + saved.asInt() + " SFT steps (" + rl + "), and other SFT steps would mix two SFT policies in one run;"
                    + " fix: drop --sft-steps (or give " + saved.asInt() + ") to continue it, or start over with --overwrite");
        }
    }

    /** Entries of the folder matching the glob patterns (top level only), sorted by name. */
    List<Path> matching(List<String> globs) throws UsageException {
        List<PathMatcher> matchers = globs.stream().map(g -> FileSystems.getDefault().getPathMatcher("glob:" + g)).toList();
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                if (matchers.stream().anyMatch(m -> m.matches(p.getFileName()))) {
                    out.add(p);
                }
            }
        } catch (IOException e) {
            throw new UsageException("--out " + dir + ": cannot list the folder (" + CliSupport.reason(e) + ")");
        }
        out.sort(Comparator.comparing(Path::toString));
        return out;
    }

    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
        } catch (IOException e) {
            // the channel is closed next, which releases the lock anyway
        }
        closeQuietly(channel);
    }

    private static String holder(FileChannel ch) {
        try {
            ByteBuffer b = ByteBuffer.allocate(32);
            int n = ch.read(b, 0);
            String pid = n <= 0 ? "" : new String(b.array(), 0, n, StandardCharsets.UTF_8).trim();
            return pid.isEmpty() ? "" : " (process " + pid + ")";
        } catch (IOException e) {
            return "";
        }
    }

    private static String names(List<Path> paths) {
        List<String> n = paths.stream().map(p -> p.getFileName().toString() + (Files.isDirectory(p) ? "/" : "")).toList();
        return String.join(", ", n.size() > 4 ? List.of(n.get(0), n.get(1), n.get(2), "...") : n);
    }

    private static void deleteRecursively(Path p) throws IOException {
        try (Stream<Path> walk = Files.walk(p)) {
            for (Path q : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(q);
            }
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException e) {
                // nothing left to release
            }
        }
    }
}
