package io.github.dl4jgrpoma.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Starts a Spark context for rollouts with no setup: {@code local[N]} (N cores of this JVM; {@code local[N,F]} also
 * retries a failing task up to F - 1 times) or a cluster's master URL. Settings that matter here (our choice): the
 * web UI off for embedded runs, the driver bound to the loopback address for {@code local} masters (so a machine
 * whose host name does not resolve still works), and no console progress bar. Spark on Java 17 needs the
 * {@code --add-opens} flags listed in README ("Scaling out"); {@code bin/grpoma} and the module's tests pass them.
 */
public final class EmbeddedSpark {
    private EmbeddedSpark() {
    }

    /**
     * A new context; the caller stops it. Other {@code spark.*} settings come from system properties as usual (under
     * {@code spark-submit}: its {@code --conf}s and the application jar).
     *
     * @param master  e.g. {@code local[2]} or {@code spark://host:7077}
     * @param appName the application name Spark shows
     * @throws IllegalArgumentException on a blank master
     */
    public static JavaSparkContext start(String master, String appName) {
        if (master == null || master.isBlank()) {
            throw new IllegalArgumentException("Spark master is blank; fix: use local[2] for embedded Spark or a master URL"
                    + " such as spark://host:7077");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName(appName).set("spark.ui.showConsoleProgress", "false");
        if (master.startsWith("local")) {
            conf.set("spark.ui.enabled", "false").set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        }
        return new JavaSparkContext(conf);
    }
}
