package dev.repsim.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.*;

/** The figures draw what they are given: cell colours from the value, printed numbers, every group's colour. */
class FiguresTest {

    @Test
    void heatmapCellsCarryTheirValueColourAndPrintedNumber(@TempDir Path dir) throws Exception {
        double[][] v = {{1.0, 0.25}, {0.25, 0.8}};
        Heatmap h = new Heatmap("linear-cka", List.of("full", "foreground"), List.of("full", "foreground"), v, 0, 1, 2);
        byte[] png = Png.write(dir.resolve("h.png"), h.render());
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertArrayEquals(png, Files.readAllBytes(dir.resolve("h.png")));
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                int[] p = h.cellPixel(i, j);
                Color expected = Palette.sequential(v[i][j]);
                assertEquals(expected.getRGB(), img.getRGB(p[0], p[1]), "cell " + i + "," + j);
            }
        }
        // The number is printed: the centre area of a cell holds pixels of the text colour.
        int[] corner = h.cellPixel(0, 1);
        Color bg = Palette.sequential(0.25), ink = Palette.textOn(bg);
        int inkLike = 0;
        for (int y = corner[1]; y < corner[1] + 50; y++) {
            for (int x = corner[0]; x < corner[0] + 50; x++) {
                Color c = new Color(img.getRGB(x, y));
                if (Math.abs(c.getRed() - ink.getRed()) + Math.abs(c.getGreen() - ink.getGreen()) + Math.abs(c.getBlue() - ink.getBlue()) < 60) inkLike++;
            }
        }
        assertTrue(inkLike > 20, "no printed number found in the cell (" + inkLike + " ink pixels)");
    }

    @Test
    void heatmapRejectsNonFiniteValues() {
        assertThrows(IllegalArgumentException.class,
                () -> new Heatmap("t", List.of("a"), List.of("a"), new double[][] {{Double.NaN}}, 0, 1, 2));
    }

    @Test
    void scatterDrawsEveryGroupColourAndALegend() {
        double[][] xy = new double[30][];
        int[] g = new int[30];
        for (int i = 0; i < 30; i++) {
            xy[i] = new double[] {i % 10, i / 10 * 5.0};
            g[i] = i / 10;
        }
        BufferedImage img = new ScatterPlot("UMAP", "UMAP 1", "UMAP 2", xy, g, List.of("full", "foreground", "background")).render();
        for (int k = 0; k < 3; k++) assertTrue(countNear(img, Palette.category(k)) > 40, "group " + k + " not drawn");
    }

    @Test
    void lineAndBarChartsRender() {
        LineChart lc = new LineChart("throughput", "n", "evaluations/s",
                List.of(new LineChart.Series("blas", new double[] {1e3, 1e4, 5e4}, new double[] {100, 5, 0.2}),
                        new LineChart.Series("java", new double[] {1e3, 1e4}, new double[] {50, 3})), true, true);
        BufferedImage a = lc.render();
        assertTrue(countNear(a, Palette.category(0)) > 50 && countNear(a, Palette.category(1)) > 50);
        BarChart bc = new BarChart("ratio", "GPU / CPU", List.of("linear-cka", "rbf-cka"), List.of("n=1000", "n=10000"),
                new double[][] {{0.5, 2}, {1.5, Double.NaN}}, false, 1.0);
        BufferedImage b = bc.render();
        assertTrue(countNear(b, Palette.category(0)) > 100 && countNear(b, Palette.category(1)) > 100);
        assertThrows(IllegalArgumentException.class, () -> new BarChart("x", "y", List.of("a"), List.of("s"), new double[][] {{Double.NaN}}, false, Double.NaN));
    }

    static int countNear(BufferedImage img, Color c) {
        int n = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                Color p = new Color(img.getRGB(x, y));
                if (Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) + Math.abs(p.getBlue() - c.getBlue()) < 40) n++;
            }
        }
        return n;
    }
}
