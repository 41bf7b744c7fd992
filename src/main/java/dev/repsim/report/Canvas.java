package dev.repsim.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;

/**
 * A white RGB image with anti-aliased Java2D drawing and the few text helpers every figure needs
 * (centred, right-aligned and rotated labels). Fonts are the JDK's logical "SansSerif", which
 * fontconfig maps to an installed font (DejaVu Sans on Debian).
 */
final class Canvas {
    static final Font TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 15);
    static final Font LABEL = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
    static final Color AXIS = new Color(0x33, 0x33, 0x33);
    static final Color GRID = new Color(0xDD, 0xDD, 0xDD);

    final BufferedImage image;
    final Graphics2D g;

    Canvas(int width, int height) {
        if (width <= 0 || height <= 0) throw new IllegalArgumentException("figure size " + width + "x" + height);
        image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(AXIS);
        g.setStroke(new BasicStroke(1f));
    }

    static int textWidth(Font f, String s) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        int w = pg.getFontMetrics(f).stringWidth(s);
        pg.dispose();
        return w;
    }

    void text(String s, Font f, Color c, double x, double y, Align align) {
        g.setFont(f);
        g.setColor(c);
        FontMetrics fm = g.getFontMetrics();
        int w = fm.stringWidth(s);
        double dx = switch (align) { case LEFT -> 0; case CENTER -> -w / 2.0; case RIGHT -> -w; };
        // y is the vertical centre of the text
        float baseline = (float) (y + (fm.getAscent() - fm.getDescent()) / 2.0);
        g.drawString(s, (float) (x + dx), baseline);
    }

    /** Text rotated by -90° (reading bottom to top), centred on (x, y). */
    void verticalText(String s, Font f, Color c, double x, double y) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 2);
        text(s, f, c, 0, 0, Align.CENTER);
        g.setTransform(saved);
    }

    /**
     * Text rotated by -45° (rising to the right) for labels that would not fit horizontally: LEFT starts
     * at (x, y) (labels above a grid), RIGHT ends there (labels below an axis).
     */
    void slantedText(String s, Font f, Color c, double x, double y, Align align) {
        AffineTransform saved = g.getTransform();
        g.translate(x, y);
        g.rotate(-Math.PI / 4);
        text(s, f, c, 0, 0, align);
        g.setTransform(saved);
    }

    BufferedImage finish() {
        g.dispose();
        return image;
    }

    enum Align { LEFT, CENTER, RIGHT }
}
