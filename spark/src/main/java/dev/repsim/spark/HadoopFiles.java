package dev.repsim.spark;

import dev.repsim.io.InputException;
import dev.repsim.io.UriFiles;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files named by Hadoop FileSystem URIs ({@code hdfs://}, {@code s3a://}, {@code file://}, ...), read the same
 * way on the driver and on the executors: the Hadoop settings are the session's {@code spark.hadoop.*}
 * (as Spark passes them to its own readers), carried to the executors with the job. The {@code .npy} inputs
 * of {@code metrics} and a study's inputs ({@link UriFiles}) are read through it.
 */
final class HadoopFiles implements Serializable, UriFiles {
    @Serial
    private static final long serialVersionUID = 1L;

    private final Map<String, String> settings;

    private HadoopFiles(Map<String, String> settings) {
        this.settings = settings;
    }

    /** The Hadoop settings of a session: {@code spark.hadoop.KEY=VALUE} of the JVM's Spark properties, then of {@code conf}. */
    static HadoopFiles of(Map<String, String> conf) {
        Map<String, String> s = new LinkedHashMap<>();
        for (var e : new org.apache.spark.SparkConf().getAll()) put(s, e._1(), e._2());
        conf.forEach((k, v) -> put(s, k, v));
        return new HadoopFiles(Map.copyOf(s));
    }

    private static void put(Map<String, String> s, String key, String value) {
        if (key.startsWith("spark.hadoop.")) s.put(key.substring("spark.hadoop.".length()), value);
    }

    /** Made once per copy of this object (a study's executor copies one file per image). */
    private transient Configuration configuration;

    private Configuration configuration() {
        if (configuration == null) {
            Configuration c = new Configuration();
            settings.forEach(c::set);
            configuration = c;
        }
        return configuration;
    }

    private FileSystem fileSystem(String uri) {
        try {
            return FileSystem.get(URI.create(uri), configuration());
        } catch (IOException | IllegalArgumentException e) {
            throw new InputException(uri + ": cannot open its file system: " + InputException.firstLine(e.getMessage()));
        }
    }

    /** The file or folder at {@code uri}; an error naming it if there is none. */
    FileStatus status(String uri) {
        try {
            return fileSystem(uri).getFileStatus(new org.apache.hadoop.fs.Path(uri));
        } catch (FileNotFoundException e) {
            throw new InputException(uri + ": no such file or folder");
        } catch (IOException e) {
            throw new InputException(uri + ": cannot read: " + InputException.firstLine(e.getMessage()));
        }
    }

    /** The files of folder {@code uri} whose names end with {@code suffix}, as URIs in file-name order. */
    List<String> list(String uri, String suffix) {
        try {
            FileStatus[] all = fileSystem(uri).listStatus(new org.apache.hadoop.fs.Path(uri));
            return Arrays.stream(all).filter(f -> f.isFile() && f.getPath().getName().endsWith(suffix))
                    .sorted(java.util.Comparator.comparing(f -> f.getPath().getName())).map(f -> f.getPath().toString()).toList();
        } catch (IOException e) {
            throw new InputException(uri + ": cannot list: " + InputException.firstLine(e.getMessage()));
        }
    }

    @Override
    public Kind kind(String uri) {
        try {
            return fileSystem(uri).getFileStatus(new org.apache.hadoop.fs.Path(uri)).isDirectory() ? Kind.FOLDER : Kind.FILE;
        } catch (FileNotFoundException e) {
            return Kind.NOTHING;
        } catch (IOException e) {
            throw new InputException(uri + ": cannot read: " + InputException.firstLine(e.getMessage()));
        }
    }

    @Override
    public List<String> listTree(String uri) {
        try {
            FileSystem fs = fileSystem(uri);
            org.apache.hadoop.fs.Path root = fs.makeQualified(new org.apache.hadoop.fs.Path(uri));
            String prefix = root.toUri().getPath().replaceFirst("/*$", "/");
            List<String> out = new ArrayList<>();
            RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
            while (it.hasNext()) {
                LocatedFileStatus f = it.next();
                String path = f.getPath().toUri().getPath();
                if (!f.isFile()) continue;
                if (!path.startsWith(prefix)) throw new InputException(uri + ": its listing has " + f.getPath() + ", which is not inside it");
                String rel = path.substring(prefix.length());
                if (Arrays.stream(rel.split("/")).noneMatch(part -> part.startsWith("."))) out.add(rel);
            }
            out.sort(null);
            return out;
        } catch (FileNotFoundException e) {
            throw new InputException(uri + ": no such file or folder");
        } catch (IOException e) {
            throw new InputException(uri + ": cannot list: " + InputException.firstLine(e.getMessage()));
        }
    }

    @Override
    public void copy(String uri, java.nio.file.Path to) {
        try (FSDataInputStream in = openStream(uri)) {
            Files.createDirectories(to.getParent());
            Files.copy(in, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new InputException(uri + ": cannot copy to " + to + ": " + InputException.firstLine(e.getMessage()));
        }
    }

    private FSDataInputStream openStream(String uri) {
        try {
            return fileSystem(uri).open(new org.apache.hadoop.fs.Path(uri));
        } catch (FileNotFoundException e) {
            throw new InputException(uri + ": no such file or folder");
        } catch (IOException e) {
            throw new InputException(uri + ": cannot open: " + InputException.firstLine(e.getMessage()));
        }
    }

    /** The file at {@code uri} as a channel that reads where it is positioned (seek, then read). */
    SeekableByteChannel open(String uri) {
        long size = status(uri).getLen();
        return new Channel(openStream(uri), size);
    }

    /** A Hadoop input stream as a read-only {@link SeekableByteChannel}. */
    private static final class Channel implements SeekableByteChannel {
        private final FSDataInputStream in;
        private final long size;
        private boolean open = true;

        Channel(FSDataInputStream in, long size) {
            this.in = in;
            this.size = size;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (!dst.hasRemaining()) return 0;
            if (dst.hasArray()) {
                int got = in.read(dst.array(), dst.arrayOffset() + dst.position(), dst.remaining());
                if (got > 0) dst.position(dst.position() + got);
                return got;
            }
            byte[] b = new byte[Math.min(dst.remaining(), 1 << 16)];
            int got = in.read(b, 0, b.length);
            if (got > 0) dst.put(b, 0, got);
            return got;
        }

        @Override
        public long position() throws IOException {
            return in.getPos();
        }

        @Override
        public SeekableByteChannel position(long p) throws IOException {
            if (p != in.getPos()) in.seek(p);
            return this;
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int write(ByteBuffer src) {
            throw new NonWritableChannelException();
        }

        @Override
        public SeekableByteChannel truncate(long s) {
            throw new NonWritableChannelException();
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close() throws IOException {
            open = false;
            in.close();
        }
    }
}
