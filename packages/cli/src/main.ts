console.log("novakit");
