package dev.repsim.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A real HDFS in the test's JVM (Hadoop's MiniDFSCluster: one name node and one data node on 127.0.0.1,
 * their storage in a folder of the test's), reached only through its {@code hdfs://} URI.
 */
final class MiniHdfs implements AutoCloseable {
    private final MiniDFSCluster cluster;

    private MiniHdfs(MiniDFSCluster cluster) {
        this.cluster = cluster;
    }

    static MiniHdfs start(Path storage) throws IOException {
        Configuration c = new Configuration();
        c.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, storage.toAbsolutePath().toString());
        c.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        return new MiniHdfs(new MiniDFSCluster.Builder(c, storage.toFile()).numDataNodes(1).build());
    }

    /** {@code hdfs://127.0.0.1:PORT/path}. */
    String uri(String path) {
        return "hdfs://127.0.0.1:" + cluster.getNameNodePort() + "/" + path.replaceFirst("^/", "");
    }

    /** Copies a local file or folder to {@code target} (a path on this file system). */
    String put(Path local, String target) throws IOException {
        FileSystem fs = cluster.getFileSystem();
        fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(local.toUri()), new org.apache.hadoop.fs.Path("/" + target.replaceFirst("^/", "")));
        return uri(target);
    }

    @Override
    public void close() {
        cluster.shutdown();
    }
}
