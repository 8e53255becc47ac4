# Read by gunicorn from the working directory (the Docker image and `docker-compose.yml`).
# The access log names the path only: query strings carry searches for names and
# customer numbers, which are social data and stay out of the logs.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(B)s %(M)sms'
