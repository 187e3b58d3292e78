/*
 * Where the checking service is. "" means the server this add-in was loaded from (online
 * mode: jspluginonline url="http://host:port/wps/"). `selfeval wps build --service URL`
 * writes the address here for an add-in unpacked on the desk.
 */
var SELFEVAL_CONFIG = { service: "", profile: "" };
