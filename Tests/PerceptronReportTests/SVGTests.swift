import PerceptronData
import PerceptronReport
import Testing

@Suite("SVG builder")
struct SVGTests {
    @Test("escape replaces the five XML special characters and leaves the rest")
    func escape() {
        #expect(SVG.escape(#"<a & b> "c" 'd'"#) == "&lt;a &amp; b&gt; &quot;c&quot; &apos;d&apos;")
        #expect(SVG.escape("true 7 → 4, ∞") == "true 7 → 4, ∞")
        #expect(SVG.escape("&amp;") == "&amp;amp;")
    }

    @Test("text and attribute values are escaped, and the document parses back to the same strings")
    func escapedDocument() throws {
        var svg = SVG(width: 100, height: 40, title: #"Title <with> & "quotes" 'too'"#)
        svg.text(#"a<b & c>"d" 'e'"#, x: 10, y: 20, [("class", #"x"y<z>&'"#)])
        let document = svg.document
        #expect(!document.contains("a<b"))
        let root = try checkedSVG(document)
        #expect(root.children[0].text == #"Title <with> & "quotes" 'too'"#)
        let text = try #require(root.elements(named: "text").first)
        #expect(text.text == #"a<b & c>"d" 'e'"#)
        #expect(text.attributes["class"] == #"x"y<z>&'"#)
    }

    @Test("the root has the SVG namespace, a viewBox of the size, a title first and a white background")
    func root() throws {
        let root = try checkedSVG(SVG(width: 320.5, height: 200, title: "Empty").document)
        #expect(root.attributes["viewBox"] == "0 0 320.5 200")
        #expect(root.attributes["width"] == "320.5")
        #expect(root.children.map(\.name) == ["title", "rect"])
        #expect(root.children[1].attributes["fill"] == "#ffffff")
    }

    @Test("numbers have at most two decimals and no trailing zeros or negative zero")
    func numbers() {
        #expect(SVG.number(12) == "12")
        #expect(SVG.number(12.5) == "12.5")
        #expect(SVG.number(12.505001) == "12.51")
        #expect(SVG.number(0.05) == "0.05")
        #expect(SVG.number(-0.25) == "-0.25")
        #expect(SVG.number(-0.001) == "0")
        #expect(SVG.number(-3) == "-3")
        #expect(SVG.number(.nan) == "0")
        #expect(SVG.number(.infinity) == "0")
    }

    @Test("a shape with a non-finite coordinate is not drawn; a polyline drops such points")
    func nonFinite() throws {
        var svg = SVG(width: 10, height: 10, title: "t")
        svg.circle(cx: .nan, cy: 1, r: 2, fill: "red")
        svg.rect(x: 0, y: .infinity, width: 1, height: 1, fill: "red")
        svg.line(x1: 0, y1: 0, x2: .nan, y2: 1, stroke: "red")
        svg.text("x", x: .nan, y: 0)
        svg.polyline([(0, 0), (.nan, 1), (2, 2)], stroke: "red")
        svg.circle(cx: 1, cy: 1, r: 1, fill: "blue")
        let root = try checkedSVG(svg.document)
        #expect(root.elements(named: "circle").count == 1)
        #expect(root.elements(named: "rect").count == 1)  // the background
        #expect(root.elements(named: "line").isEmpty)
        #expect(root.elements(named: "text").isEmpty)
        #expect(root.elements(named: "polyline").first?.attributes["points"] == "0,0 2,2")
    }

    @Test("groups nest their content, and tooltips become a title inside the shape")
    func groupsAndTooltips() throws {
        var svg = SVG(width: 10, height: 10, title: "t")
        svg.group([("class", "outer")]) { svg in
            svg.circle(cx: 1, cy: 1, r: 1, fill: "red", tooltip: "one & two")
        }
        let root = try checkedSVG(svg.document)
        let group = try #require(root.elements(classed: "outer").first)
        #expect(group.name == "g")
        #expect(group.children.first?.name == "circle")
        #expect(group.children.first?.children.first?.text == "one & two")
    }

    @Test("an embedded image is a PNG data URI")
    func image() throws {
        var svg = SVG(width: 10, height: 10, title: "t")
        svg.image(png: PNGEncoder.encode(grey8: [0], width: 1, height: 1), x: 0, y: 0, width: 10, height: 10)
        let image = try #require(try checkedSVG(svg.document).elements(named: "image").first)
        #expect(image.attributes["xlink:href"]?.hasPrefix("data:image/png;base64,iVBORw0KGgo") == true)
    }
}
