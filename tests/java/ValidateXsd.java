// A second XSD validator for the ribbon (#26), beside the tests' xmlschema: the JDK's own javax.xml.validation.
// Run as a single-file source program: java ValidateXsd.java SCHEMA.xsd DOCUMENT.xml -> prints OK or INVALID.
// Microsoft's customUI.xsd restricts types that also inherit attributes from their groups, which the JDK's
// strict schema loader reports as ct-props-correct.4 (duplicate attribute uses): those schema errors, and only
// those, are tolerated while loading it; the document itself must validate without any error.
import java.io.File;
import javax.xml.XMLConstants;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.SchemaFactory;
import javax.xml.validation.Validator;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXParseException;

public class ValidateXsd {
    public static void main(String[] args) throws Exception {
        SchemaFactory factory = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        factory.setErrorHandler(new ErrorHandler() {
            public void warning(SAXParseException e) { }
            public void error(SAXParseException e) throws SAXParseException {
                if (!e.getMessage().startsWith("ct-props-correct.4:")) throw e;
            }
            public void fatalError(SAXParseException e) throws SAXParseException { throw e; }
        });
        Validator validator = factory.newSchema(new File(args[0])).newValidator();
        try {
            validator.validate(new StreamSource(new File(args[1])));
            System.out.println("OK");
        } catch (org.xml.sax.SAXException e) {
            System.out.println("INVALID: " + e.getMessage());
            System.exit(1);
        }
    }
}
