-- wrk script: POST /api/predict with a valid {"pixels": [784 numbers]} body read from $BODY_FILE
-- (bench/serve/load.sh writes one: a drawn-looking 0, values k/255 as the page's test digits send).
local path = os.getenv("BODY_FILE")
local file = assert(io.open(path, "r"), "BODY_FILE must name the JSON body")
wrk.method = "POST"
wrk.body = file:read("*a")
wrk.headers["Content-Type"] = "application/json"
file:close()
